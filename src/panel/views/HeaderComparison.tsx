// The comparison table: needed vs sent, one row per CORS check, pass/fail per row.
import type { CorsDiagnosis, Exchange } from "../../core/model";
import { compareHeaders, type RowState } from "../comparison";
import { SafeText } from "./SafeText";

const stateLabel: Record<RowState, string> = { pass: "✔ pass", fail: "✖ fail", warn: "▲ warning", neutral: "–" };

export function HeaderComparison({ exchange, diagnosis }: { exchange: Exchange; diagnosis: CorsDiagnosis }) {
  const sections = compareHeaders(exchange, diagnosis);
  if (sections.length === 0) return null;
  return (
    <table class="comparison" aria-label="CORS headers: needed vs sent">
      <thead>
        <tr>
          <th scope="col">Check</th>
          <th scope="col">Request needs</th>
          <th scope="col">Response header</th>
          <th scope="col">Server sent</th>
          <th scope="col">Result</th>
        </tr>
      </thead>
      {sections.map((section) => (
        <tbody key={section.title} data-request={section.request}>
          <tr class="section">
            <th colSpan={5} scope="rowgroup">
              {section.title}
            </th>
          </tr>
          {section.rows.map((row) => (
            <tr key={row.check} class={`state-${row.state}`}>
              <td>{row.check}</td>
              <td class="mono">
                <SafeText value={row.needed} limit={300} />
              </td>
              <td class="mono">{row.header}</td>
              <td class="mono">{row.sent === null ? <span class="absent">(absent)</span> : <SafeText value={row.sent} limit={300} />}</td>
              <td class={`result ${row.state}`}>{stateLabel[row.state]}</td>
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}

// Raw request and response headers of every request in the exchange, as observed.
import type { Exchange, Header } from "../../core/model";
import { SafeText } from "./SafeText";

function HeaderTable({ title, headers }: { title: string; headers: Header[] | undefined }) {
  return (
    <div class="raw-block">
      <h4>{title}</h4>
      {!headers || headers.length === 0 ? (
        <p class="muted">(none recorded)</p>
      ) : (
        <table class="raw" aria-label={title}>
          <tbody>
            {headers.map((h, i) => (
              <tr key={i}>
                <th scope="row" class="mono">
                  <SafeText value={h.name} limit={200} />
                </th>
                <td class="mono">
                  <SafeText value={h.value} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function RawHeaders({ exchange }: { exchange: Exchange }) {
  return (
    <section class="raw-headers" aria-label="Raw headers">
      {exchange.legs.map((leg, i) => (
        <div key={i}>
          {leg.preflight && (
            <>
              <HeaderTable title={`Preflight request headers (OPTIONS)`} headers={leg.preflight.request.headers} />
              <HeaderTable
                title={`Preflight response headers${leg.preflight.response ? ` (${leg.preflight.response.status})` : ""}`}
                headers={leg.preflight.response?.headers}
              />
            </>
          )}
          <HeaderTable
            title={`${i === 0 ? "Request" : `Redirect hop ${i}`} headers (${leg.request.method})`}
            headers={leg.request.headers}
          />
          <HeaderTable title={`Response headers${leg.response ? ` (${leg.response.status})` : ""}`} headers={leg.response?.headers} />
        </div>
      ))}
    </section>
  );
}

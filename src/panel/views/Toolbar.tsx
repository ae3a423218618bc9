// The toolbar, laid out like the Network panel's: clear and preserve log on the left, then filters, then
// export/import on the right.
import type { Ref } from "preact";
import type { Counts, RowFilter, VerdictFilter } from "../rows";

export interface ToolbarProps {
  filter: RowFilter;
  onFilter: (filter: RowFilter) => void;
  counts: Counts;
  origins: string[];
  live: boolean;
  preserveLog: boolean;
  onPreserveLog: (value: boolean) => void;
  onClear: () => void;
  includeSecrets: boolean;
  onIncludeSecrets: (value: boolean) => void;
  onExport: () => void;
  canExport: boolean;
  onImport: () => void;
  searchRef: Ref<HTMLInputElement>;
}

const verdictChoices: { value: VerdictFilter; label: string; count: (c: Counts) => number }[] = [
  { value: "all", label: "All", count: (c) => c.total },
  { value: "blocked", label: "Blocked", count: (c) => c.blocked },
  { value: "warnings", label: "Warnings", count: (c) => c.warnings },
];

export function Toolbar(props: ToolbarProps) {
  const { filter, onFilter } = props;
  return (
    <div class="toolbar" role="toolbar" aria-label="CORS requests">
      <button type="button" class="tool" onClick={props.onClear} disabled={!props.live} title="Clear" aria-label="Clear">
        ⊘ Clear
      </button>
      <label class="tool check" title="Keep requests across page loads">
        <input
          type="checkbox"
          checked={props.preserveLog}
          disabled={!props.live}
          onChange={(e) => props.onPreserveLog(e.currentTarget.checked)}
        />
        Preserve log
      </label>
      <span class="divider" />
      <input
        ref={props.searchRef}
        type="search"
        class="search"
        placeholder="Filter URL or reason  ( / )"
        aria-label="Filter by URL or reason"
        value={filter.text}
        onInput={(e) => onFilter({ ...filter, text: e.currentTarget.value })}
      />
      <div class="segmented" role="radiogroup" aria-label="Show">
        {verdictChoices.map((choice) => (
          <button
            key={choice.value}
            type="button"
            role="radio"
            aria-checked={filter.verdict === choice.value}
            class={filter.verdict === choice.value ? "seg active" : "seg"}
            data-filter={choice.value}
            onClick={() => onFilter({ ...filter, verdict: choice.value })}
          >
            {choice.label} <span class="count">{choice.count(props.counts)}</span>
          </button>
        ))}
      </div>
      <select
        class="tool origin"
        aria-label="Initiator origin"
        value={filter.origin}
        onChange={(e) => onFilter({ ...filter, origin: e.currentTarget.value })}
      >
        <option value="">All initiators</option>
        {props.origins.map((origin) => (
          <option key={origin} value={origin}>
            {origin}
          </option>
        ))}
      </select>
      <button
        type="button"
        class="tool"
        aria-pressed={filter.order === "blocked-first"}
        onClick={() => onFilter({ ...filter, order: filter.order === "blocked-first" ? "chronological" : "blocked-first" })}
        title="Order: blocked first or in start order"
      >
        {filter.order === "blocked-first" ? "Blocked first" : "Chronological"}
      </button>
      <span class="spacer" />
      <label
        class={props.includeSecrets ? "tool check secrets on" : "tool check secrets"}
        title="Cookies, Authorization and tokens are redacted unless this is on"
      >
        <input type="checkbox" checked={props.includeSecrets} onChange={(e) => props.onIncludeSecrets(e.currentTarget.checked)} />
        Include secrets
      </label>
      <button type="button" class="tool" onClick={props.onExport} disabled={!props.canExport}>
        ⤓ Export HAR
      </button>
      <button type="button" class="tool" onClick={props.onImport}>
        ⤒ Import HAR
      </button>
    </div>
  );
}

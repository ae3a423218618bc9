// The request list: a virtualised ARIA grid. Only the rows in view (plus a few) are in the DOM, so 10 000
// requests cost the same to render as 30. Rows have a fixed height; the scroll container holds a spacer of
// the full height and the visible slice is translated into place.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Row } from "../rows";
import { VerdictIcon } from "./VerdictIcon";
import { visibleText } from "../text";

export const ROW_HEIGHT = 21;
const OVERSCAN = 8;

export interface RequestListProps {
  rows: Row[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  onOpen: (id: string) => void;
  onClose: () => void;
  compact: boolean;
}

/** Long URLs are cut for the cell (the full one is in the detail); text only. */
const cell = (value: string) => visibleText(value.length > 500 ? value.slice(0, 500) + "…" : value);

export function RequestList({ rows, selectedId, onSelect, onOpen, onClose, compact }: RequestListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setHeight(el.clientHeight || 600);
    const observer = new ResizeObserver(() => setHeight(el.clientHeight || 600));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const selectedIndex = selectedId === null ? -1 : rows.findIndex((r) => r.id === selectedId);

  // Keep the selected row in view when the keyboard moves it.
  useEffect(() => {
    const el = scroller.current;
    if (!el || selectedIndex < 0) return;
    const top = selectedIndex * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
  }, [selectedIndex]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const visible = rows.slice(first, last);

  const move = (index: number) => {
    if (rows.length === 0) return;
    const clamped = Math.max(0, Math.min(rows.length - 1, index));
    onSelect(rows[clamped]!.id);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    switch (event.key) {
      case "ArrowDown":
        move(selectedIndex + 1);
        break;
      case "ArrowUp":
        move(selectedIndex < 0 ? 0 : selectedIndex - 1);
        break;
      case "PageDown":
        move(selectedIndex + page);
        break;
      case "PageUp":
        move(selectedIndex - page);
        break;
      case "Home":
        move(0);
        break;
      case "End":
        move(rows.length - 1);
        break;
      case "Enter":
        if (selectedId) onOpen(selectedId);
        break;
      case "Escape":
        onClose();
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <div
      class={compact ? "request-list compact" : "request-list"}
      role="grid"
      aria-label="Cross-origin requests"
      aria-rowcount={rows.length + 1}
      aria-activedescendant={selectedIndex >= 0 ? `row-${selectedId}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div class="grid-row header" role="row" aria-rowindex={1}>
        <span role="columnheader" class="c-verdict" aria-label="Verdict" />
        <span role="columnheader" class="c-method">
          Method
        </span>
        <span role="columnheader" class="c-url">
          URL
        </span>
        <span role="columnheader" class="c-initiator">
          Initiator
        </span>
        <span role="columnheader" class="c-status" title="Preflight status">
          Preflight
        </span>
        <span role="columnheader" class="c-status" title="Actual request status">
          Status
        </span>
        <span role="columnheader" class="c-reason">
          Reason
        </span>
      </div>
      <div class="grid-body" role="rowgroup" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <div class="grid-spacer" role="presentation" style={{ height: `${rows.length * ROW_HEIGHT}px` }}>
          <div class="grid-window" role="presentation" style={{ transform: `translateY(${first * ROW_HEIGHT}px)` }}>
            {visible.map((row, i) => (
              <div
                key={row.id}
                id={`row-${row.id}`}
                role="row"
                aria-rowindex={first + i + 2}
                aria-selected={row.id === selectedId}
                class={`grid-row ${row.verdict}${row.id === selectedId ? " selected" : ""}`}
                data-id={row.id}
                onClick={() => onOpen(row.id)}
              >
                <span role="gridcell" class="c-verdict">
                  <VerdictIcon verdict={row.verdict} />
                </span>
                <span role="gridcell" class="c-method">
                  {cell(row.method)}
                </span>
                <span role="gridcell" class="c-url" title={cell(row.url)}>
                  {cell(row.url)}
                </span>
                <span role="gridcell" class="c-initiator">
                  {cell(row.initiator)}
                </span>
                <span role="gridcell" class="c-status">
                  {row.preflightStatus}
                </span>
                <span role="gridcell" class="c-status">
                  {row.actualStatus}
                </span>
                <span role="gridcell" class="c-reason" title={cell(row.reason)}>
                  {cell(row.reason)}
                </span>
              </div>
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}

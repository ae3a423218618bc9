// The panel: toolbar, request list, detail. State lives here; the list is derived (rows → filter) with memos so
// that a stream of upserts or a keystroke in the search box only redoes what changed.
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { CapturedExchange } from "../../shared/protocol";
import { reportFileName, reportText } from "../export";
import type { ImportProgress as Progress } from "../har-import";
import { IMPORT_READY_MARK, startImport, type RunningImport } from "../import-client";
import { countRows, defaultFilter, filterRows, initiatorOrigins, toRow, type Row, type RowFilter } from "../rows";
import type { BackgroundConnection, PanelServices, Theme } from "../services";
import { applyMessage, emptyData, type PanelData } from "../store";
import { Detail } from "./Detail";
import { EmptyState } from "./EmptyState";
import { ImportProgress } from "./ImportProgress";
import { RequestList } from "./RequestList";
import { SafeText } from "./SafeText";
import { Toolbar } from "./Toolbar";

/** Rows are derived per item and cached by object identity: an upsert re-derives only the items it replaced. */
const rowCache = new WeakMap<CapturedExchange, Row>();
function rowOf(item: CapturedExchange): Row {
  let row = rowCache.get(item);
  if (!row) {
    row = toRow(item);
    rowCache.set(item, row);
  }
  return row;
}

export function App({ services }: { services: PanelServices }) {
  const liveSource = services.tabId === null ? ({ kind: "none" } as const) : ({ kind: "live", tabId: services.tabId } as const);
  const [live, setLive] = useState<PanelData>(() => emptyData(liveSource));
  const [imported, setImported] = useState<PanelData | null>(null);
  const [filter, setFilter] = useState<RowFilter>(defaultFilter);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [detailOpen, setDetailOpen] = useState(false);
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [importing, setImporting] = useState<{ fileName: string; progress: Progress | null } | null>(null);
  const running = useRef<RunningImport | null>(null);
  const [connected, setConnected] = useState(true);
  const [theme, setTheme] = useState<Theme>(services.theme());
  const connection = useRef<BackgroundConnection | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => services.onThemeChange(setTheme), [services]);

  useEffect(() => {
    if (services.tabId === null) return;
    const conn = services.connect(services.tabId, (message) => setLive((data) => applyMessage(data, message)), setConnected);
    connection.current = conn;
    return () => conn.close();
  }, [services]);

  const data = imported ?? live;
  const rows = useMemo(() => data.items.map(rowOf), [data.items]);
  const visibleRows = useMemo(() => filterRows(rows, filter), [rows, filter]);
  const counts = useMemo(() => countRows(rows), [rows]);
  const origins = useMemo(() => initiatorOrigins(rows), [rows]);
  const selected = useMemo(
    () => (selectedId === null ? null : (data.items.find((i) => i.id === selectedId) ?? null)),
    [data.items, selectedId],
  );

  const openImport = useCallback(() => fileRef.current?.click(), []);

  // The file is read, parsed and diagnosed in import-worker.js: this thread only shows progress, so DevTools
  // stays responsive, and Cancel (or a new file) terminates the worker. Until a result arrives the current view
  // stays as it was; a broken file only adds a message.
  const onFile = async (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    running.current?.cancel();
    setError(null);
    setNotice(null);
    setImporting({ fileName: file.name, progress: null });
    const job = startImport(file, services.browser, (progress) => {
      if (running.current === job) setImporting({ fileName: file.name, progress });
    });
    running.current = job;
    const result = await job.result;
    if (running.current !== job) return;
    running.current = null;
    setImporting(null);
    if (!result.ok) {
      if ("cancelled" in result) setNotice(`Import of ${file.name} cancelled.`);
      else setError(`Could not import ${file.name}: ${result.error}`);
      return;
    }
    setSelectedId(null);
    setDetailOpen(false);
    // Another file has other origins: an origin filter from the previous data would hide everything.
    setFilter((f) => ({ ...f, origin: "" }));
    // The moment the imported rows are in the panel's hands: `npm run bench` times the first render from it.
    performance.mark(IMPORT_READY_MARK);
    setImported({
      ...emptyData({ kind: "import", fileName: file.name, entries: result.entries }),
      items: result.items,
      cookieSightings: result.cookieSightings,
    });
  };
  const cancelImport = useCallback(() => running.current?.cancel(), []);
  useEffect(() => () => running.current?.cancel(), []);

  const onExport = () => {
    try {
      services.download(
        reportFileName(data.items, includeSecrets),
        reportText(data.items, includeSecrets, services.version, data.cookieSightings),
        "application/json",
      );
    } catch (e) {
      setError(`Export failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  // `/` focuses the search box from anywhere except text fields; Escape closes the detail.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
      if (event.key === "Escape" && running.current) {
        running.current.cancel();
      } else if (event.key === "/" && !typing) {
        event.preventDefault();
        searchRef.current?.focus();
      } else if (event.key === "Escape" && detailOpen && !typing) {
        setDetailOpen(false);
        listRef.current?.querySelector<HTMLElement>(".request-list")?.focus();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [detailOpen]);

  const select = useCallback((id: string) => {
    setSelectedId(id);
  }, []);
  const open = useCallback((id: string) => {
    setSelectedId(id);
    setDetailOpen(true);
  }, []);
  const close = useCallback(() => setDetailOpen(false), []);

  const isLive = data.source.kind === "live";
  const showDetail = detailOpen && selected !== null;

  return (
    <div class="app">
      <Toolbar
        filter={filter}
        onFilter={setFilter}
        counts={counts}
        origins={origins}
        live={isLive}
        preserveLog={live.preserveLog}
        onPreserveLog={(value) => {
          setLive((d) => ({ ...d, preserveLog: value }));
          if (services.tabId !== null) connection.current?.send({ type: "set-preserve-log", tabId: services.tabId, value });
        }}
        onClear={() => {
          if (services.tabId === null) return;
          connection.current?.send({ type: "clear", tabId: services.tabId });
          setLive((d) => ({ ...d, items: [], evicted: 0 }));
          setSelectedId(null);
          setDetailOpen(false);
        }}
        includeSecrets={includeSecrets}
        onIncludeSecrets={setIncludeSecrets}
        onExport={onExport}
        canExport={data.items.length > 0}
        onImport={openImport}
        searchRef={searchRef}
      />
      <input
        ref={fileRef}
        type="file"
        accept=".har,.json,application/json"
        class="offscreen"
        aria-label="Import HAR file"
        data-import
        onChange={onFile}
      />
      {includeSecrets && (
        <div class="banner warning" role="alert">
          Export will include secrets: cookies, Authorization headers and tokens are written in clear, and the file name ends in
          “-WITH-SECRETS”. Share it with care.
        </div>
      )}
      {error && (
        <div class="banner error" role="alert">
          <SafeText value={error} limit={600} />
          <button type="button" class="link-button" onClick={() => setError(null)}>
            Dismiss
          </button>
        </div>
      )}
      {importing && <ImportProgress fileName={importing.fileName} progress={importing.progress} onCancel={cancelImport} />}
      {notice && (
        <div class="banner notice" role="status">
          <SafeText value={notice} limit={400} />
          <button type="button" class="link-button" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      )}
      {imported && imported.source.kind === "import" && (
        <div class="banner info" role="status">
          Showing imported file{" "}
          <b>
            <SafeText value={imported.source.fileName} limit={200} />
          </b>{" "}
          ({imported.items.length} cross-origin request
          {imported.items.length === 1 ? "" : "s"} of {imported.source.entries} entries), diagnosed offline.{" "}
          {services.tabId !== null && (
            <button
              type="button"
              class="link-button"
              onClick={() => {
                setImported(null);
                setSelectedId(null);
                setDetailOpen(false);
              }}
            >
              Back to live capture
            </button>
          )}
        </div>
      )}
      {isLive && !connected && (
        <div class="banner warning" role="status">
          Reconnecting to the extension…
        </div>
      )}
      {isLive && data.evicted > 0 && (
        <div class="banner info" role="status">
          {data.evicted} older request{data.evicted === 1 ? " was" : "s were"} dropped to stay within the per-tab limit.
        </div>
      )}
      <div class={showDetail ? "main split" : "main"} ref={listRef}>
        {data.items.length === 0 ? (
          <EmptyState data={data} onImport={openImport} />
        ) : visibleRows.length === 0 ? (
          <div class="empty" role="status">
            <h2>No request matches the filter</h2>
            <button type="button" class="link-button" onClick={() => setFilter(defaultFilter)}>
              Show all requests
            </button>
          </div>
        ) : (
          <RequestList rows={visibleRows} selectedId={selectedId} onSelect={select} onOpen={open} onClose={close} compact={showDetail} />
        )}
        {showDetail && <Detail key={selected.id} item={selected} services={services} browser={services.browser} onClose={close} />}
      </div>
    </div>
  );
}

// The detail of the selected request: tabs like the Network panel's (Diagnosis, Fix, Headers, curl, What if).
import { useMemo, useState } from "preact/hooks";
import { withFixes } from "../../core/diagnose";
import type { BrowserName } from "../../core/model";
import type { CapturedExchange } from "../../shared/protocol";
import type { PanelServices } from "../services";
import { Curl } from "./Curl";
import { BlockingFinding, OtherFindings } from "./Findings";
import { Fixes } from "./Fixes";
import { HeaderComparison } from "./HeaderComparison";
import { RawHeaders } from "./RawHeaders";
import { SafeText } from "./SafeText";
import { Timeline } from "./Timeline";
import { WhatIf } from "./WhatIf";

const tabs = [
  { id: "diagnosis", label: "Diagnosis" },
  { id: "fix", label: "Fix" },
  { id: "headers", label: "Headers" },
  { id: "curl", label: "curl" },
  { id: "what-if", label: "What if" },
] as const;
type TabId = (typeof tabs)[number]["id"];

export function Detail({
  item,
  services,
  browser,
  onClose,
}: {
  item: CapturedExchange;
  services: PanelServices;
  browser: BrowserName;
  onClose: () => void;
}) {
  const [tab, setTab] = useState<TabId>("diagnosis");
  // Live diagnoses travel without recipes (they are large); they are filled in for the open request.
  const fixed = useMemo(() => withFixes(item.exchange, item.diagnosis), [item.exchange, item.diagnosis]);
  const first = item.exchange.legs[0];
  return (
    <div class="detail" role="region" aria-label="Request detail" data-id={item.id}>
      <div class="detail-head">
        <button type="button" class="close" aria-label="Close detail (Escape)" title="Close (Escape)" onClick={onClose}>
          ✕
        </button>
        <div class="tabs" role="tablist" aria-label="Detail">
          {tabs.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls="detail-panel"
              class={tab === t.id ? "tab active" : "tab"}
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
      </div>
      <div class="detail-body" id="detail-panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        <p class="detail-url mono">
          <b>{first?.request.method}</b> <SafeText value={first?.request.url ?? ""} limit={1000} />
          {item.exchange.initiatorOrigin && (
            <span class="muted">
              {" "}
              from <SafeText value={item.exchange.initiatorOrigin} limit={300} />
            </span>
          )}
        </p>
        {tab === "diagnosis" && (
          <>
            <BlockingFinding diagnosis={item.diagnosis} browser={browser} />
            <h3>Timeline</h3>
            <Timeline exchange={item.exchange} diagnosis={item.diagnosis} browser={browser} />
            <h3>CORS headers</h3>
            <HeaderComparison exchange={item.exchange} diagnosis={item.diagnosis} />
            <OtherFindings diagnosis={item.diagnosis} />
          </>
        )}
        {tab === "fix" && <Fixes diagnosis={fixed} services={services} />}
        {tab === "headers" && <RawHeaders exchange={item.exchange} />}
        {tab === "curl" && <Curl exchange={item.exchange} services={services} />}
        {tab === "what-if" && <WhatIf key={item.id} exchange={item.exchange} diagnosis={item.diagnosis} browser={browser} />}
      </div>
    </div>
  );
}

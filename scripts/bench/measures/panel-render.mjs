// Measure 6a: the panel's first render of 10,000 rows (see panel.mjs for how it is timed).
import { panelSession, sessionDetail } from "./panel.mjs";

export default {
  id: "panel-render",
  title: "panel (as a tab) with 10,000 rows: first render",
  baselineText: "—",
  targetText: "≤ 200 ms",
  unit: "ms",
  judge: (r) => r.value.median <= 200,
  async run(opts) {
    const s = await panelSession(opts);
    return { value: s.runs.map((r) => r.render), detail: sessionDetail(s), extra: s };
  },
};

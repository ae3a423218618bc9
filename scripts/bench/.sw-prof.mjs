import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, EXT } from "./lib.mjs";
import { startServer } from "./server.mjs";
const server = await startServer();
const profile = mkdtempSync(join(tmpdir(), "swprof-"));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: [`--disable-extensions-except=${EXT}`, `--load-extension=${EXT}`, "--no-sandbox", "--disable-gpu", "--remote-debugging-port=9339"],
});
const sw = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent("serviceworker"));
const page = await ctx.newPage();
await page.goto(server.page);
await page.evaluate(([api]) => window.runFetches(api, 100, 16, "warm"), [server.api]);
const puppeteer = (await import("puppeteer-core")).default;
const b = await puppeteer.connect({ browserURL: "http://127.0.0.1:9339" });
const bs = await b.target().createCDPSession();
const { targetInfos } = await bs.send("Target.getTargets");
console.log(targetInfos.map((x) => x.type + " " + x.url));
const sw2 = targetInfos.find((x) => x.type === "service_worker");
const { sessionId } = await bs.send("Target.attachToTarget", { targetId: sw2.targetId, flatten: true });
const s = b._connection ? b._connection.session(sessionId) : bs.connection().session(sessionId);
await s.send("Profiler.enable");
await s.send("Profiler.setSamplingInterval", { interval: 200 });
await s.send("Profiler.start");
const r = await page.evaluate(([api]) => window.runFetches(api, 2000, 16, "run"), [server.api]);
await new Promise((r) => setTimeout(r, 1500));
const { profile: prof } = await s.send("Profiler.stop");
writeFileSync("/tmp/swprof/x.cpuprofile", JSON.stringify(prof));
console.log(r);
b.disconnect();
await ctx.close();
await server.close();

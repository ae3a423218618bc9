// Firefox's own HAR importer (devtools/client/netmonitor/src/har/har-importer.js, what the Network panel's
// "Import HAR File" runs), loaded from the installed Firefox ESR's omni.ja and run in Node. Firefox offers no
// way to automate that menu (the netmonitor is privileged browser UI that WebDriver BiDi does not reach), so
// the test runs the same parser on the same text and records what it hands the Network panel's store.
//
// Only platform services are provided here, each the smallest stand-in: IDN display conversion
// (node:url domainToUnicode), nsISupportsPriority's constants, URL.isInstance, lazily loaded JSON-preview
// helpers (they throw if touched: the importer does not touch them) and localised labels (the key itself).
// Everything that parses the HAR is Firefox's code, unmodified.
import fs from "node:fs";
import { domainToUnicode } from "node:url";
import { inflateRawSync } from "node:zlib";

export const FIREFOX_OMNI_JA = "/usr/lib/firefox-esr/browser/omni.ja";
const MODULES = "chrome/devtools/modules/devtools/";

/** The text of the jar entries whose names pass `wanted` (omni.ja is a zip; only the central directory is read). */
function readJar(path: string, wanted: (name: string) => boolean): Map<string, string> {
  const zip = fs.readFileSync(path);
  const endAt = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0) throw new Error(`${path}: not a zip`);
  const count = zip.readUInt16LE(endAt + 10);
  let at = zip.readUInt32LE(endAt + 16);
  const out = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${path}: bad central directory entry`);
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const localAt = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    at += 46 + nameLength + skip;
    if (!wanted(name)) continue;
    const dataAt = localAt + 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28);
    const raw = zip.subarray(dataAt, dataAt + size);
    out.set(name, (method === 8 ? inflateRawSync(raw) : raw).toString("utf8"));
  }
  return out;
}

/** What the importer handed the netmonitor store for one request (addRequest + updateRequest merged). */
export interface FirefoxImportedRequest {
  method: string;
  url: string;
  status: number;
  statusText: string;
  requestHeaders: { headers: Array<{ name: string; value: string }> };
  responseHeaders: { headers: Array<{ name: string; value: string }> };
  urlDetails: { host: string; isLocal: boolean };
  totalTime: number;
  [key: string]: unknown;
}

type HarImporterClass = new (actions: Record<string, (...args: any[]) => void>) => { import(text: string): void };

let importerClass: HarImporterClass | undefined;

function loadHarImporter(): HarImporterClass {
  if (importerClass) return importerClass;
  const files = readJar(FIREFOX_OMNI_JA, (n) => n.startsWith(`${MODULES}client/netmonitor/src/`) || n === `${MODULES}client/shared/unicode-url.js`);
  const stubs: Record<string, unknown> = {
    "resource://devtools/shared/l10n.js": {
      LocalizationHelper: class {
        getStr(key: string) { return key; }
        getFormatStr(key: string, ...args: unknown[]) { return [key, ...args].join(" "); }
      },
    },
  };
  const loaded = new Map<string, { exports: any }>();
  const requireFx = (id: string): any => {
    if (id in stubs) return stubs[id];
    const cached = loaded.get(id);
    if (cached) return cached.exports;
    const source = files.get(MODULES + id.replace(/^resource:\/\/devtools\//, ""));
    if (source === undefined) throw new Error(`${FIREFOX_OMNI_JA} has no ${id}`);
    const module = { exports: {} as any };
    loaded.set(id, module);
    const scope: Record<string, unknown> = {
      Cc: { "@mozilla.org/network/idn-service;1": { getService: () => ({ convertToDisplayIDN: (host: string) => domainToUnicode(host) || host }) } },
      Ci: { nsIIDNService: {}, nsISupportsPriority: { PRIORITY_HIGHEST: -20, PRIORITY_HIGH: -10, PRIORITY_NORMAL: 0, PRIORITY_LOW: 10, PRIORITY_LOWEST: 20 } },
      URL: class extends URL { static isInstance(u: unknown) { return u instanceof URL; } },
      ChromeUtils: {
        defineESModuleGetters(target: object, map: Record<string, string>) {
          for (const key of Object.keys(map)) Object.defineProperty(target, key, { get() { throw new Error(`${map[key]} is not available outside Firefox`); } });
        },
      },
      // Firefox's module loader: `loader.lazyRequireGetter(this, "NAME", "resource://…", destructure)`.
      loader: {
        lazyRequireGetter(target: object, names: string | string[], path: string, destructure?: boolean) {
          for (const name of [names].flat()) Object.defineProperty(target, name, { configurable: true, get: () => (destructure ? requireFx(path)[name] : requireFx(path)) });
        },
      },
    };
    // Modules see the loader's globals as free variables and `this` as their scope, as in Firefox.
    const run = new Function("scope", "require", "exports", "module", `with (scope) { (function () {\n${source}\n}).call(scope); }`);
    run(scope, requireFx, module.exports, module);
    return module.exports;
  };
  importerClass = requireFx("resource://devtools/client/netmonitor/src/har/har-importer.js").HarImporter as HarImporterClass;
  return importerClass;
}

/** Imports `harText` as Firefox's Network panel does; returns the requests it would show, in order. */
export function importIntoFirefoxNetmonitor(harText: string): FirefoxImportedRequest[] {
  const HarImporter = loadHarImporter();
  const requests = new Map<string, any>();
  const actions = {
    clearRequests: () => requests.clear(),
    addRequest: (id: string, data: object) => void requests.set(id, { ...data }),
    updateRequest: (id: string, data: object) => void Object.assign(requests.get(id), data),
    addTimingMarker: () => undefined,
  };
  new HarImporter(actions).import(harText);
  return [...requests.values()];
}

// The page-side observer in Chromium on real https: see observer-cases.ts. Records the cases with the built CORS
// Doctor (npm run build) and the browser's own signals, then checks what CORS Doctor listed.
import { observerTests } from "./observer-cases";
import { recordChromium } from "./record-chromium.mjs";
import { chromiumTruth } from "./truth.mjs";

observerTests("chromium", recordChromium, chromiumTruth);

// The page-side observer in Firefox ESR on real https: see observer-cases.ts. Records the cases with the built CORS
// Doctor (npm run build) and the browser's own signals, then checks what CORS Doctor listed.
import { observerTests } from "./observer-cases";
import { recordFirefox } from "./record-firefox.mjs";
import { firefoxTruth } from "./truth.mjs";

observerTests("firefox", recordFirefox, firefoxTruth);

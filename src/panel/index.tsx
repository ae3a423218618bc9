// The CORS panel: in DevTools (registered by src/devtools) or as an ordinary tab, panel.html?tabId=N.
import { render } from "preact";
import { createBrowserServices } from "./services";
import { App } from "./views/App";

const browser = __BROWSER__ === "firefox" ? "firefox" : "chrome";
const root = document.getElementById("app");
if (root) render(<App services={createBrowserServices(browser, __VERSION__)} />, root);

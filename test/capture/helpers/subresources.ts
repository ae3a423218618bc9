// Cross-origin subresources for the arming tests (issue 16): what an armed tab captures of images and scripts
// depends on the browser (src/background/listeners.ts), so both browsers' tests load the same four.

/** Cross-origin subresources of /no-acao (no Access-Control-Allow-Origin): two in CORS mode, two no-cors. */
export const subresources = (api: string, run: string) => [
  { name: "crossorigin image", tag: "img", crossorigin: true, url: `${api}/no-acao?run=${run}&kind=crossorigin-image` },
  { name: "module script", tag: "script", module: true, url: `${api}/no-acao?run=${run}&kind=module-script` },
  { name: "image", tag: "img", url: `${api}/no-acao?run=${run}&kind=image` },
  { name: "script", tag: "script", url: `${api}/no-acao?run=${run}&kind=script` },
];
/** Adds each element to the page and waits until each has loaded or failed. */
export const LOAD_SUBRESOURCES = `async (list) => {
  const out = {};
  await Promise.all(list.map((s) => new Promise((resolve) => {
    const el = document.createElement(s.tag);
    if (s.crossorigin) el.crossOrigin = "anonymous";
    if (s.module) el.type = "module";
    el.onload = () => { out[s.name] = "load"; resolve(); };
    el.onerror = () => { out[s.name] = "error"; resolve(); };
    el.src = s.url;
    document.body.append(el);
  })));
  return out;
}`;

import { diagnoseExchange } from "../../src/core/diagnose";
import { harEntriesToExchanges, parseHar } from "../../src/core/har/read";
import { harDocument } from "./har-mix.mjs";
const har = parseHar(harDocument({ seed: 7, entries: 5000 }));
const exchanges = harEntriesToExchanges(har.entries, { creator: har.creator, pages: har.pages }).map((g) => g.exchange);
let n = 0;
const pass = () => {
  for (let i = 0; i < exchanges.length; i++) if (diagnoseExchange(exchanges[i], { fixes: false }).verdict === "blocked") n++;
};
const w = performance.now() + 500;
while (performance.now() < w) pass();
const rates = [];
for (let r = 0; r < 5; r++) {
  let done = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 1000) {
    pass();
    done += exchanges.length;
  }
  rates.push(Math.round((done / (performance.now() - t0)) * 1000));
}
console.log(JSON.stringify(rates), n > 0);

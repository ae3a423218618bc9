// A loopback port where nothing listens, so a connection to it is refused.
//
// Why not "bind port 0, close it, use that port": port 0 hands out a port from the OS's ephemeral range, and so
// does every other server and client of the test run (files run in parallel). A port freed a moment ago is the
// next one handed out, and a real CI run once found another file's http server on it (Firefox then reported
// SSL_ERROR_RX_RECORD_TOO_LONG instead of a refused connection). Ports below the ephemeral range (32768 on
// Linux) are never handed out by port 0, and the range here stays above both browsers' blocked-port lists
// (the highest, 10080), so neither browser refuses the URL itself.
import net from "node:net";

const LOW = 20_000;
const HIGH = 32_000;

/** @returns {Promise<boolean>} true when the port could be bound (and was released again) on this host. */
function bindable(/** @type {number} */ port, /** @type {string} */ host) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", (/** @type {NodeJS.ErrnoException} */ err) => resolve(err.code === "EADDRNOTAVAIL")); // no ::1 here
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/** A port below the ephemeral range on which nothing listens on 127.0.0.1 or ::1 right now. */
export async function refusedPort() {
  for (let tries = 0; tries < 50; tries++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if ((await bindable(port, "127.0.0.1")) && (await bindable(port, "::1"))) return port;
  }
  throw new Error(`refusedPort: no free port in ${LOW}-${HIGH} after 50 tries`);
}

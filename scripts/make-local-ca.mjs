#!/usr/bin/env node
// A throw-away certificate authority for the https truth matrix (test/matrix2), made with the system openssl:
//   node scripts/make-local-ca.mjs DIR [name ...]
// writes into DIR:
//   ca.pem / ca.key               the trusted CA (installed into a private NSS db, never into the system)
//   good.pem / good.key           leaf for every name given (default: the matrix2 host names), signed by the CA
//   wrongname.pem / wrongname.key leaf for wrong-name.example only: a name mismatch when served as api.test
//   expired.pem / expired.key     leaf for the names, validity in 2020: expired
//   unknown.pem / unknown.key     leaf for the names, signed by a second CA that nobody trusts
// and, with --nssdb DIR2, an NSS database (cert9.db, key4.db) that trusts ca.pem (libnss3-tools `certutil`):
// Chromium on Linux reads $HOME/.pki/nssdb, Firefox its profile directory.
// ECDSA P-256 keys: generated in milliseconds even on a loaded machine (RSA took seconds). Nothing is installed system-wide; the browsers' own certificate checks stay on (no --ignore-certificate-errors),
// so that the TLS failure cases are real.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** @typedef {ReturnType<typeof makeLocalCa>} LocalCa */

export const MATRIX2_HOSTS = Object.freeze(["app.test", "api.test", "other.test", "cdn.test", "pub.test", "site2.test"]);

/** @param {string[]} args @param {string} [cwd] */
function openssl(args, cwd) {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

/** @param {string} dir @param {string} name @param {string[]} sans */
function leafConfig(dir, name, sans) {
  const file = path.join(dir, `${name}.cnf`);
  fs.writeFileSync(
    file,
    [
      "[req]",
      "distinguished_name = dn",
      "prompt = no",
      "[dn]",
      `CN = ${sans[0]}`,
      "[ext]",
      "basicConstraints = critical, CA:FALSE",
      "keyUsage = critical, digitalSignature",
      "extendedKeyUsage = serverAuth",
      `subjectAltName = ${sans.map((s) => `DNS:${s}`).join(", ")}`,
      "",
    ].join("\n"),
  );
  return file;
}

/** @param {string} dir @param {string} name */
function makeCa(dir, name) {
  openssl(
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.pem`,
      "-days",
      "30",
      "-subj",
      `/CN=CORS Doctor matrix2 ${name}`,
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    dir,
  );
}

/**
 * A leaf signed by `ca`. `expired` uses `openssl ca` (the only openssl 3.0 command that takes explicit dates).
 * @param {string} dir @param {string} name @param {string} ca @param {string[]} sans @param {boolean} [expired]
 */
function makeLeaf(dir, name, ca, sans, expired = false) {
  const cnf = leafConfig(dir, name, sans);
  openssl(
    [
      "req",
      "-new",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.csr`,
      "-config",
      cnf,
    ],
    dir,
  );
  if (!expired) {
    openssl(
      [
        "x509",
        "-req",
        "-in",
        `${name}.csr`,
        "-CA",
        `${ca}.pem`,
        "-CAkey",
        `${ca}.key`,
        "-CAcreateserial",
        "-out",
        `${name}.pem`,
        "-days",
        "30",
        "-extfile",
        cnf,
        "-extensions",
        "ext",
      ],
      dir,
    );
    return;
  }
  const db = path.join(dir, `${name}-cadb`);
  fs.mkdirSync(db, { recursive: true });
  fs.writeFileSync(path.join(db, "index.txt"), "");
  fs.writeFileSync(path.join(db, "serial"), "1000\n");
  const caCnf = path.join(dir, `${name}-ca.cnf`);
  fs.writeFileSync(
    caCnf,
    [
      "[ca]",
      "default_ca = c",
      "[c]",
      `dir = ${db}`,
      "database = $dir/index.txt",
      "serial = $dir/serial",
      "new_certs_dir = $dir",
      "default_md = sha256",
      "policy = p",
      "copy_extensions = none",
      "[p]",
      "commonName = supplied",
      "",
    ].join("\n"),
  );
  openssl(
    [
      "ca",
      "-batch",
      "-config",
      caCnf,
      "-in",
      `${name}.csr`,
      "-cert",
      `${ca}.pem`,
      "-keyfile",
      `${ca}.key`,
      "-out",
      `${name}.pem`,
      "-startdate",
      "20200101000000Z",
      "-enddate",
      "20200201000000Z",
      "-extfile",
      cnf,
      "-extensions",
      "ext",
      "-notext",
    ],
    dir,
  );
}

/**
 * @param {string} dir
 * @param {readonly string[]} [hosts]
 * @returns {{ dir: string, ca: string, good: { cert: string, key: string }, wrongname: { cert: string, key: string },
 *   expired: { cert: string, key: string }, unknown: { cert: string, key: string } }}
 */
export function makeLocalCa(dir, hosts = MATRIX2_HOSTS) {
  fs.mkdirSync(dir, { recursive: true });
  makeCa(dir, "ca");
  makeCa(dir, "rogue-ca");
  makeLeaf(dir, "good", "ca", [...hosts]);
  makeLeaf(dir, "wrongname", "ca", ["wrong-name.example"]);
  makeLeaf(dir, "expired", "ca", [...hosts], true);
  makeLeaf(dir, "unknown", "rogue-ca", [...hosts]);
  const pair = (/** @type {string} */ n) => ({ cert: path.join(dir, `${n}.pem`), key: path.join(dir, `${n}.key`) });
  return {
    dir,
    ca: path.join(dir, "ca.pem"),
    good: pair("good"),
    wrongname: pair("wrongname"),
    expired: pair("expired"),
    unknown: pair("unknown"),
  };
}

/**
 * An NSS database in `dbDir` that trusts `caPem` for TLS servers.
 * @param {string} dbDir @param {string} caPem
 */
export function makeNssDb(dbDir, caPem) {
  fs.mkdirSync(dbDir, { recursive: true });
  execFileSync("certutil", ["-N", "-d", `sql:${dbDir}`, "--empty-password"], { stdio: ["ignore", "ignore", "pipe"] });
  execFileSync("certutil", ["-A", "-d", `sql:${dbDir}`, "-t", "C,,", "-n", "cors-doctor-matrix2-ca", "-i", caPem], {
    stdio: ["ignore", "ignore", "pipe"],
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const nssIndex = args.indexOf("--nssdb");
  const nssdb = nssIndex >= 0 ? args.splice(nssIndex, 2)[1] : undefined;
  const [dir, ...names] = args;
  if (!dir || dir === "--help") {
    console.log("usage: node scripts/make-local-ca.mjs DIR [--nssdb NSSDIR] [host ...]");
    process.exit(dir ? 0 : 2);
  }
  const ca = makeLocalCa(path.resolve(dir), names.length ? names : MATRIX2_HOSTS);
  if (nssdb) makeNssDb(path.resolve(nssdb), ca.ca);
  console.log(`CA and leaf certificates in ${ca.dir}${nssdb ? `; NSS db trusting the CA in ${path.resolve(nssdb)}` : ""}`);
}

// whatwg-mimetype ships no types; we use only MIMEType.parse (null on failure).
declare module "whatwg-mimetype/lib/mime-type.js" {
  export default class MIMEType {
    static parse(input: string): MIMEType | null;
    readonly essence: string;
    readonly type: string;
    readonly subtype: string;
  }
}

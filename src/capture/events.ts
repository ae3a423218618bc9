// The subset of webRequest event details that capture reads, common to Chromium and Firefox.
// Kept structural (no chrome/browser types) so recorded event sequences drive the same code in Node.

/** A header as webRequest reports it: `value`, or `binaryValue` for non-UTF-8 bytes. */
export interface WebRequestHeader {
  name: string;
  value?: string;
  binaryValue?: ArrayLike<number>;
}

export interface WebRequestDetails {
  requestId: string;
  url: string;
  method: string;
  tabId: number;
  frameId: number;
  type: string;
  timeStamp: number;
  /** Chromium: the origin of the document or worker that made the request ("null" when opaque). */
  initiator?: string;
  /** Firefox: the URL of the resource that triggered the request, and of the document it belongs to. */
  originUrl?: string;
  documentUrl?: string;
  documentId?: string;
  requestHeaders?: WebRequestHeader[];
  responseHeaders?: WebRequestHeader[];
  statusCode?: number;
  statusLine?: string;
  redirectUrl?: string;
  ip?: string;
  fromCache?: boolean;
  error?: string;
}

/** The eight webRequest events, named as the API names them without the "on" prefix. */
export type WebRequestEventName =
  | "BeforeRequest"
  | "BeforeSendHeaders"
  | "SendHeaders"
  | "HeadersReceived"
  | "BeforeRedirect"
  | "ResponseStarted"
  | "Completed"
  | "ErrorOccurred";

export interface WebRequestEvent {
  event: WebRequestEventName;
  details: WebRequestDetails;
  /**
   * An ErrorOccurred of a request whose other events the tab's capture listeners do not follow (Chromium, armed
   * tab: images, scripts, stylesheets, media; src/background/listeners.ts): all that will ever be known of it.
   */
  errorOnly?: boolean;
}

// The host permissions capture needs, in one place: the manifest asks for them, the background checks them, and
// the popup's grant button requests them. CORS governs http(s) fetches only, so `<all_urls>` (file:, ftp:, ws:…)
// would ask for more than capture uses. test/security/least-privilege.test.ts keeps the manifest equal to this.
export const HOST_ORIGINS = ["http://*/*", "https://*/*"] as const;

export const HOST_PERMISSIONS = { origins: [...HOST_ORIGINS] };

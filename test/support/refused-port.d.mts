/** A port below the ephemeral range on which nothing listens on 127.0.0.1 or ::1 right now. */
export function refusedPort(): Promise<number>;

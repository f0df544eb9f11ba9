/** The port a LocalChat server listens on unless told otherwise: the stock client's default too. */
export const DEFAULT_PORT = 8090;

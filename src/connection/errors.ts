// The connection layer's failures. They say what went wrong; the CLI decides the exit code.

/** A connection setting the user gave is unusable (a flag, URL, profile or certificate file). */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** The server could not be reached, refused us, or is not InfluxDB. */
export class ConnectionError extends Error {
  override name = 'ConnectionError';
}

/** The private influxd behind --local could not be found or started. */
export class LocalServerError extends Error {
  override name = 'LocalServerError';
}

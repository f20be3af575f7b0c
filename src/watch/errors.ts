// A --watch request that cannot run as given (a bad interval, condition or webhook).
export class WatchError extends Error {
  override name = 'WatchError';
}

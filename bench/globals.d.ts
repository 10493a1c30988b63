/** What the benchmarks' page scripts keep on `window` while they measure. */
interface Window {
  /** dashboard-browser.mjs: durations of long tasks (> 50 ms) since the page started. */
  __longTasks: number[];
  /** live-timeline.mjs: when each live `tasks` message arrived, and the long tasks with their spans. */
  __arrivals: number[];
  __long: { start: number; end: number }[];
}

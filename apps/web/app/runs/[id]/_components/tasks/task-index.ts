import type { TaskSummaryView } from "@runtrail/db";
import { addWithAncestors, failureOrder, PROBLEM_STATUSES } from "./error-filter";
import { compareTasks } from "./task-order";
import type { TaskTimes } from "./task-times";

/** One row of the task tree: a task, how deep it sits, and how many children it shows. */
export interface TreeRow {
  task: TaskSummaryView;
  depth: number;
  childCount: number;
}

interface Node {
  task: TaskSummaryView;
  /** Parsed times (task-times.ts): start, else end, else NaN; end, NaN while open. */
  start: number;
  end: number;
  /** The last flatten that reached this node. */
  stamp: number;
  /** The row last made for it, reused while its task, depth and child count hold. */
  row: TreeRow | null;
  /** Its children list (the one held under its id), if it has children. */
  kids: Node[] | null;
}

/** Above this many new tasks in one apply, they are merged in one pass rather than inserted one by one. */
const MERGE_ABOVE = 32;

const parse = (iso: string | null) => (iso === null ? Number.NaN : Date.parse(iso));
/** The key a task's children list is kept under: its parent as given, or null (none, or itself). */
const parentKey = (t: TaskSummaryView) => (t.parentTaskId !== null && t.parentTaskId !== t.id ? t.parentTaskId : null);
const isRunning = (t: TaskSummaryView) => t.status === "running" && t.endedAt === null;
/** Keeps the same place in timeline order (compareTasks) and under the same parent. */
const samePlace = (a: TaskSummaryView, b: TaskSummaryView) => a.seq === b.seq && (a.seq !== null || a.endedAt === b.endedAt) && parentKey(a) === parentKey(b);

/** The first index in `list` (sorted by compareTasks via `get`) whose item is not before `t`. */
function lowerBound<T>(list: readonly T[], t: TaskSummaryView, get: (x: T) => TaskSummaryView): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareTasks(get(list[mid] as T), t) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
const self = (t: TaskSummaryView) => t;
/** A task's latest time: its end, or its start if later or open (NaN when it has none). */
const topOf = (n: Node) => (Number.isNaN(n.end) ? n.start : Math.max(n.end, n.start));
const taskOf = (n: Node) => n.task;
const NONE: readonly Node[] = [];

/**
 * A run's tasks as the live page keeps them, updated in place as changes arrive: by id,
 * in timeline order, as children lists per parent, with their parsed times, time bounds
 * and problem tasks. An apply of k changed tasks costs about O(k log n) plus one copy
 * of the ordered list (a memcpy), not a rebuild: a 100,000-task running run takes each
 * live flush without re-sorting, re-parsing or re-indexing everything. `revision` counts
 * the applies that changed something; `ordered` is a fresh array after each.
 *
 * `rows` lays the tree out in one walk over the kept children lists, without the Maps
 * a rebuild needs. Each method gives what its whole-list version in testing/whole-list.ts
 * gives for the same tasks (task-index.test.ts checks after random applies).
 */
export class TaskIndex {
  readonly byId = new Map<string, TaskSummaryView>();
  ordered: readonly TaskSummaryView[] = [];
  revision = 0;
  private nodes = new Map<string, Node>();
  /** The nodes of `ordered`, index for index (changed in place: never handed out). */
  private line: Node[] = [];
  private children = new Map<string | null, Node[]>();
  private problems = new Set<string>();
  private failed = new Set<string>();
  private runningCount = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private boundsStale = false;
  private gen = 0;
  private cache: { revision: number; failures?: TaskSummaryView[]; times?: TaskTimes } = { revision: -1 };

  constructor(tasks: readonly TaskSummaryView[] = []) {
    this.apply(tasks);
  }

  /**
   * Upserts changed tasks by id, as `applyTasks` (same order, same newest-version
   * rule). Returns whether anything changed.
   */
  apply(incoming: readonly TaskSummaryView[]): boolean {
    // Many new tasks (a chunk of a big run) are merged in one pass; a few are inserted.
    const bulk = incoming.length > MERGE_ABOVE;
    const fresh = new Map<string, TaskSummaryView>();
    let ordered: TaskSummaryView[] | null = null;
    const edit = () => {
      ordered ??= this.ordered.slice();
      return ordered;
    };
    for (const t of incoming) {
      const node = this.nodes.get(t.id);
      if (node && node.task.version >= t.version) continue;
      if (!node) {
        const pending = fresh.get(t.id);
        if (bulk) {
          if (!pending || pending.version < t.version) fresh.set(t.id, t);
        } else this.insert(t, edit());
        continue;
      }
      const prev = node.task;
      const prevStart = node.start;
      const prevTop = topOf(node);
      this.forget(prev);
      const list = edit();
      const at = lowerBound(list, prev, self);
      if (samePlace(prev, t)) {
        list[at] = t;
        node.task = t;
      } else {
        list.splice(at, 1);
        this.line.splice(at, 1);
        this.unlink(prev, node);
        node.task = t;
        const to = lowerBound(list, t, self);
        list.splice(to, 0, t);
        this.line.splice(to, 0, node);
        this.link(node);
      }
      this.note(node);
      // A bound this task held may have moved inwards: recomputed when next asked for.
      if ((prevStart === this.min && !(node.start <= prevStart)) || (prevTop === this.max && !(topOf(node) >= prevTop))) this.boundsStale = true;
    }
    if (fresh.size > 0) this.merge([...fresh.values()].sort(compareTasks), ordered ?? this.ordered);
    else if (ordered) this.ordered = ordered;
    else return false;
    this.revision += 1;
    return true;
  }

  private insert(t: TaskSummaryView, list: TaskSummaryView[]) {
    const node = this.add(t);
    const at = lowerBound(list, t, self);
    list.splice(at, 0, t);
    this.line.splice(at, 0, node);
    this.link(node);
    this.note(node);
  }

  /** Many new tasks (a chunk of a big run), sorted: merged with the held ones in one pass. */
  private merge(fresh: TaskSummaryView[], held: readonly TaskSummaryView[]) {
    const nodes = fresh.map((t) => this.add(t));
    const heldNodes = this.line;
    const out: TaskSummaryView[] = new Array(held.length + fresh.length);
    const line: Node[] = new Array(held.length + fresh.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < held.length || j < fresh.length) {
      if (j < fresh.length && (i >= held.length || compareTasks(fresh[j] as TaskSummaryView, held[i] as TaskSummaryView) < 0)) {
        line[k] = nodes[j] as Node;
        out[k++] = fresh[j++] as TaskSummaryView;
      } else {
        line[k] = heldNodes[i] as Node;
        out[k++] = held[i++] as TaskSummaryView;
      }
    }
    this.ordered = out;
    this.line = line;
    for (const node of nodes) {
      this.link(node);
      this.note(node);
    }
  }

  private add(t: TaskSummaryView): Node {
    const node: Node = { task: t, start: 0, end: 0, stamp: 0, row: null, kids: this.children.get(t.id) ?? null };
    this.nodes.set(t.id, node);
    return node;
  }

  private link(node: Node) {
    const key = parentKey(node.task);
    const list = this.children.get(key);
    if (!list) {
      const fresh = [node];
      this.children.set(key, fresh);
      const parent = key === null ? undefined : this.nodes.get(key);
      if (parent) parent.kids = fresh;
    }
    else if (list.length === 0 || compareTasks((list[list.length - 1] as Node).task, node.task) < 0) list.push(node);
    else list.splice(lowerBound(list, node.task, taskOf), 0, node);
  }

  private unlink(prev: TaskSummaryView, node: Node) {
    const key = parentKey(prev);
    const list = this.children.get(key) ?? [];
    const at = lowerBound(list, prev, taskOf);
    if (list[at] === node) list.splice(at, 1);
    if (list.length > 0) return;
    this.children.delete(key);
    const parent = key === null ? undefined : this.nodes.get(key);
    if (parent) parent.kids = null;
  }

  /** Counts a task's current copy in: its times, the bounds, its status. */
  private note(node: Node) {
    const t = node.task;
    this.byId.set(t.id, t);
    node.end = parse(t.endedAt);
    node.start = t.startedAt === null ? node.end : parse(t.startedAt);
    if (node.start < this.min) this.min = node.start;
    const top = topOf(node);
    if (top > this.max) this.max = top;
    if (isRunning(t)) this.runningCount += 1;
    if (PROBLEM_STATUSES.has(t.status)) this.problems.add(t.id);
    if (t.status === "failed") this.failed.add(t.id);
  }

  /** Counts a task's old copy out (not its times: see apply). */
  private forget(prev: TaskSummaryView) {
    if (isRunning(prev)) this.runningCount -= 1;
    this.problems.delete(prev.id);
    this.failed.delete(prev.id);
  }

  /** Earliest start and latest end, and whether a task runs: `taskTimes` without its arrays. */
  bounds(): { min: number; max: number; running: boolean } {
    if (this.boundsStale) {
      this.boundsStale = false;
      this.min = Number.POSITIVE_INFINITY;
      this.max = Number.NEGATIVE_INFINITY;
      for (const n of this.nodes.values()) {
        if (n.start < this.min) this.min = n.start;
        const top = topOf(n);
        if (top > this.max) this.max = top;
      }
    }
    return { min: this.min, max: this.max, running: this.runningCount > 0 };
  }

  get problemCount(): number {
    return this.problems.size;
  }

  private cached() {
    if (this.cache.revision !== this.revision) this.cache = { revision: this.revision };
    return this.cache;
  }

  /** error-filter.ts `failureOrder` of all the tasks, from the failed ones only. */
  failures(): readonly TaskSummaryView[] {
    const c = this.cached();
    c.failures ??= failureOrder([...this.failed].map((id) => this.byId.get(id) as TaskSummaryView).sort(compareTasks));
    return c.failures;
  }

  /** `taskTimes(ordered)`, from the times parsed as tasks arrived. */
  times(): TaskTimes {
    const c = this.cached();
    if (!c.times) {
      const n = this.line.length;
      const start = new Float64Array(n);
      const end = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const node = this.line[i] as Node;
        start[i] = node.start;
        end[i] = node.end;
      }
      c.times = { start, end, ...this.bounds() };
    }
    return c.times;
  }

  /**
   * What "errors only" keeps (`errorsOnly`): the problem tasks and
   * `alsoId`, each with its known ancestors. Walks up from those tasks only.
   */
  errorIds(alsoId: string | null = null): Set<string> {
    const keep = new Set<string>();
    for (const id of this.problems) addWithAncestors(keep, id, this.byId);
    if (alsoId !== null) addWithAncestors(keep, alsoId, this.byId);
    return keep;
  }

  /**
   * `flattenTasks` of the tasks (or of those in `keep`): each under its
   * parent, siblings in timeline order, collapsed branches closed, tasks in a parent
   * cycle last. One walk over the kept children lists.
   */
  rows(collapsed: ReadonlySet<string> = new Set(), keep: ReadonlySet<string> | null = null): TreeRow[] {
    const gen = ++this.gen;
    const rows: TreeRow[] = [];
    const kept = (n: Node) => keep === null || keep.has(n.task.id);
    let roots = this.children.get(null) ?? [];
    // Tasks whose parent has not arrived stay at the root, in timeline order among the others.
    let orphans = false;
    for (const [key, list] of this.children) {
      if (key === null || this.nodes.has(key)) continue;
      if (!orphans) roots = roots.slice();
      orphans = true;
      for (const n of list) roots.push(n);
    }
    if (orphans) roots.sort((a, b) => compareTasks(a.task, b.task));
    const stack: Node[] = [];
    const depths: number[] = [];
    for (let i = roots.length - 1; i >= 0; i--) {
      const n = roots[i] as Node;
      if (!kept(n)) continue;
      stack.push(n);
      depths.push(0);
    }
    let reached = 0;
    while (stack.length > 0) {
      const node = stack.pop() as Node;
      const depth = depths.pop() as number;
      node.stamp = gen;
      reached += 1;
      const kids = node.kids ?? NONE;
      let count = keep === null ? kids.length : 0;
      if (keep !== null) for (const k of kids) if (kept(k)) count += 1;
      rows.push(this.rowOf(node, depth, count));
      if (collapsed.has(node.task.id)) {
        reached += this.hide(kids, gen, kept);
        continue;
      }
      for (let i = kids.length - 1; i >= 0; i--) {
        const k = kids[i] as Node;
        if (!kept(k)) continue;
        stack.push(k);
        depths.push(depth + 1);
      }
    }
    // Parent cycles (a -> b -> a) never reach the root; show them rather than lose them.
    if (reached < (keep === null ? this.nodes.size : keep.size)) {
      for (const node of this.line) {
        if (node.stamp !== gen && kept(node)) rows.push(this.rowOf(node, 0, 0));
      }
    }
    return rows;
  }

  /** Marks a collapsed branch's kept descendants reached; returns how many. */
  private hide(kids: readonly Node[], gen: number, kept: (n: Node) => boolean): number {
    let count = 0;
    const stack = kids.filter(kept);
    while (stack.length > 0) {
      const node = stack.pop() as Node;
      node.stamp = gen;
      count += 1;
      for (const k of node.kids ?? NONE) if (kept(k)) stack.push(k);
    }
    return count;
  }

  private rowOf(node: Node, depth: number, childCount: number): TreeRow {
    const row = node.row;
    if (row && row.task === node.task && row.depth === depth && row.childCount === childCount) return row;
    node.row = { task: node.task, depth, childCount };
    return node.row;
  }
}

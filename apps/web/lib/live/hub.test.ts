import { afterEach, describe, expect, it } from "vitest";
import { notifyRuns, setPublisher, wakeAll, wakeRuns, watchRun } from "./hub";

describe("live hub", () => {
  afterEach(() => setPublisher(null));

  it("wakes the watchers of a run of a project, publishes what changed, and forgets unsubscribed watchers", () => {
    const woken: string[] = [];
    const published: [string, readonly string[]][] = [];
    setPublisher((projectId, runIds) => published.push([projectId, runIds]));
    const stopA = watchRun("p1", "r1", () => woken.push("a"));
    const stopB = watchRun("p1", "r1", () => woken.push("b"));
    const stopC = watchRun("p2", "r1", () => woken.push("c"));

    notifyRuns("p1", new Set(["r1", "r2"]));
    expect(woken).toEqual(["a", "b"]);
    expect(published).toEqual([["p1", ["r1", "r2"]]]);

    // News from another process: wakes here, publishes nothing.
    wakeRuns("p2", ["r1"]);
    expect(woken).toEqual(["a", "b", "c"]);
    expect(published).toHaveLength(1);

    stopA();
    wakeAll();
    expect(woken).toEqual(["a", "b", "c", "b", "c"]);
    notifyRuns("p1", []);
    expect(published).toHaveLength(1);
    stopB();
    stopC();
    wakeAll();
    expect(woken).toHaveLength(5);
  });
});

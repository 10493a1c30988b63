/**
 * Nesting depth of a parsed JSON value: a scalar is 0, `[]` and `{}` are 1,
 * `{"a":[1]}` is 2. Walked with an explicit stack, not recursion: JSON.parse
 * builds a value nested 100,000 levels deep without trouble, and measuring it
 * must not overflow the call stack either. One visit per container.
 */
export function jsonDepth(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  const stack: { node: object; depth: number }[] = [{ node: value, depth: 1 }];
  let max = 0;
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    if (top.depth > max) max = top.depth;
    const children: unknown[] = Array.isArray(top.node) ? top.node : Object.values(top.node);
    for (const child of children) {
      if (child !== null && typeof child === "object") stack.push({ node: child, depth: top.depth + 1 });
    }
  }
  return max;
}

/**
 * PENDING_OTHER_BRANCHES: fault cases whose fix is on another branch of issue 23. The suite runs
 * them and EXPECTS THEM TO FAIL today (`it.fails`), so it stays green on this branch and turns
 * red the moment one of them starts passing. Empty this list when those branches are merged.
 * Names are the hostile cases' `name` (`hostile-cases.ts`) or a fault test's name.
 */
export const PENDING_OTHER_BRANCHES: ReadonlySet<string> = new Set<string>([
  // Empty: the fixes of items 1 and 2 are on main.
]);

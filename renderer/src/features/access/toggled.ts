/** A checkbox list's next value: `item` added when checked, taken out when not. */
export function toggled<T>(list: readonly T[], item: T, on: boolean): T[] {
  return on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item);
}

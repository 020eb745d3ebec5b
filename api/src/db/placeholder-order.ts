import type { DataSource, ObjectLiteral } from 'typeorm';

/**
 * What TypeORM's escapeQueryWithParameters makes of a statement with named parameters (`:name`, `:...list`): the
 * text with `?` placeholders and the values in their order. On MySQL and MariaDB that step only orders the values,
 * so for a statement written once per shape the order is worked out once per shape and list lengths, instead of a
 * regular expression over the whole text on every request. SQLite's driver also converts values: left to it.
 */
export class PlaceholderOrder {
  /** Per shape and list lengths: the text, and each value's parameter name and list index (-1: not a list). */
  private readonly orders = new Map<string, { readonly sql: string; readonly sources: readonly (readonly [string, number])[] }>();

  constructor(private readonly db: DataSource) {}

  /** `shape` names `text` (the same shape, the same text); `parameters` as for escapeQueryWithParameters. */
  bind(shape: string, text: string, parameters: ObjectLiteral): [string, unknown[]] {
    if (this.db.options.type !== 'mysql') return this.db.driver.escapeQueryWithParameters(text, parameters) as [string, unknown[]];
    let key = shape;
    for (const name in parameters) if (Array.isArray(parameters[name])) key += `|${name}:${(parameters[name] as unknown[]).length}`;
    let order = this.orders.get(key);
    if (order === undefined) {
      // TypeORM's own expansion, run on markers that say where each placeholder's value comes from.
      const markers: ObjectLiteral = {};
      for (const [name, value] of Object.entries(parameters)) markers[name] = Array.isArray(value) ? value.map((_, i) => [name, i]) : [name, -1];
      const [sql, sources] = this.db.driver.escapeQueryWithParameters(text, markers);
      order = { sql, sources: sources as [string, number][] };
      // Callers in many business units make a key per list length: a bound keeps a pathological mix finite.
      if (this.orders.size >= 1_000) this.orders.clear();
      this.orders.set(key, order);
    }
    return [order.sql, order.sources.map(([name, i]) => (i < 0 ? parameters[name] : (parameters[name] as unknown[])[i]))];
  }
}

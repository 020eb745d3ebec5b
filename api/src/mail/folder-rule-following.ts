/** One folder as the server's last report lists it. */
export interface ReportedFolder {
  readonly path: string;
  readonly folderId: string | null;
}

/** A folder tracking rule as far as following its folder goes. */
export interface FollowedRule {
  readonly id: string;
  readonly folder: string;
  readonly folderId: string | null;
  readonly missingSince: Date | null;
}

/** What a folder report changes in one rule; rules it leaves alone are not listed. */
export type RuleChange =
  /** The folder with the rule's id now has another path (renamed or moved): the rule follows it. */
  | { readonly kind: 'RENAMED'; readonly ruleId: string; readonly from: string; readonly to: string; readonly folderId: string }
  /** The rule's path is listed with an id the rule did not know yet (a rule set before the report, or before ids). */
  | { readonly kind: 'ID_LEARNED'; readonly ruleId: string; readonly folderId: string }
  /** Neither the rule's id nor its path is listed any more. */
  | { readonly kind: 'MISSING'; readonly ruleId: string; readonly folder: string }
  /** A rule marked missing whose folder is listed again. */
  | { readonly kind: 'BACK'; readonly ruleId: string; readonly folder: string };

/**
 * How a mailbox's folder rules follow the server's folders (Exchange's SyncFolderHierarchy notices, told by id):
 * a renamed or moved folder keeps its rule, a deleted one marks it missing. `complete` is false when the report
 * was cut at its limit: an unlisted folder may then exist, so nothing is marked missing.
 */
export function followFolders(rules: readonly FollowedRule[], reported: readonly ReportedFolder[], complete: boolean): RuleChange[] {
  const pathById = new Map<string, string>();
  const idByPath = new Map<string, string | null>();
  for (const folder of reported) {
    if (folder.folderId && !pathById.has(folder.folderId)) pathById.set(folder.folderId, folder.path);
    if (!idByPath.has(folder.path)) idByPath.set(folder.path, folder.folderId);
  }
  // A path another rule already holds cannot be taken over by a renamed folder's rule (one rule per folder path).
  const taken = new Set(rules.map((rule) => rule.folder));
  const changes: RuleChange[] = [];
  for (const rule of rules) {
    const movedTo = rule.folderId ? pathById.get(rule.folderId) : undefined;
    if (movedTo !== undefined && movedTo !== rule.folder && !taken.has(movedTo)) {
      taken.delete(rule.folder);
      taken.add(movedTo);
      changes.push({ kind: 'RENAMED', ruleId: rule.id, from: rule.folder, to: movedTo, folderId: rule.folderId! });
      continue;
    }
    // Its own path still listed (perhaps by a folder made again under the old name, which is then the rule's).
    if (idByPath.has(rule.folder)) {
      const id = idByPath.get(rule.folder);
      if (id && id !== rule.folderId) changes.push({ kind: 'ID_LEARNED', ruleId: rule.id, folderId: id });
      if (rule.missingSince) changes.push({ kind: 'BACK', ruleId: rule.id, folder: rule.folder });
    } else if (complete && !rule.missingSince) {
      changes.push({ kind: 'MISSING', ruleId: rule.id, folder: rule.folder });
    }
  }
  return changes;
}

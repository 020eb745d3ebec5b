import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIMELINE_QUERY } from '../../web/src/timeline/activity';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { ADMIN, ok, uniqueTag } from './gql-helpers';

// Queries that come again run as compiled code (graphql-jit, from their third run on; server/compiled-execution.ts);
// the first runs of a query go through graphql-js. Each check sends the same query five times: every answer, HTTP
// status included, must be the same, whichever executor gave it.
const RUNS = 5;

describe.each(DIALECTS)('compiled queries answer as graphql-js does, on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  let sam: string;
  /** A salesperson in another business unit: Sam's records are hidden from her. */
  let nora: string;
  const rec: Record<string, string> = {};

  /** The same request RUNS times: the answers' texts and statuses. */
  const repeated = async (query: string, variables: Record<string, unknown>, token: string): Promise<{ status: number; text: string }[]> => {
    const answers: { status: number; text: string }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const response = await fetch(hub.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      answers.push({ status: response.status, text: await response.text() });
    }
    return answers;
  };
  const allSame = (answers: { status: number; text: string }[]) => {
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    return { status: answers[0].status, json: JSON.parse(answers[0].text) as { data?: Record<string, unknown>; errors?: { message: string; path?: unknown[]; extensions: { code: string } }[] } };
  };

  beforeAll(async () => {
    hub = await startHub({ dialect });
    admin = await hub.login(ADMIN);
    sam = await hub.login('sam.sales@demo.crm.test');
    nora = await hub.login('nora.north@demo.crm.test');
    const tag = uniqueTag('Jit');
    rec.account = ok(await hub.gql('mutation($n: String!) { createAccount(input: { name: $n }) { id } }', { n: `${tag} account` }, sam)).createAccount.id;
    for (let i = 0; i < 3; i++) {
      ok(
        await hub.gql(
          'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }',
          { input: { subject: `${tag} task ${i}`, regardingId: rec.account } },
          sam,
        ),
      );
    }
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('a timeline page: its edges, abstract nodes and cursors', async () => {
    const { status, json } = allSame(await repeated(TIMELINE_QUERY, { recordId: rec.account, first: 2 }, sam));
    expect(status).toBe(200);
    expect(json.errors).toBeUndefined();
    const timeline = json.data!.timeline as { edges: { cursor: string; node: { __typename: string; subject: string } }[]; pageInfo: { hasNextPage: boolean } };
    expect(timeline.edges.map((e) => e.node.__typename)).toEqual(['Task', 'Task']);
    expect(timeline.pageInfo.hasNextPage).toBe(true);
  });

  it('a record the caller may not read: NOT_FOUND at its path, with its code and message', async () => {
    const { status, json } = allSame(await repeated('query($id: ID!) { timeline(recordId: $id, first: 5) { edges { node { id } } } }', { id: rec.account }, nora));
    expect(status).toBe(200);
    expect(json.errors).toEqual([expect.objectContaining({ path: ['timeline'], extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })]);
    expect(json.data).toBeNull();
  });

  it('a bad argument: BAD_USER_INPUT naming it', async () => {
    const { json } = allSame(await repeated('query($id: ID!) { timeline(recordId: $id, first: 5) { edges { node { id } } } }', { id: 'not-an-id' }, sam));
    expect(json.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(json.errors?.[0].message).toMatch(/recordId/);
  });

  it('a variable of the wrong type is refused before execution, the same way', async () => {
    const { status, json } = allSame(await repeated('query($first: Int) { viewer { id } accounts(first: $first) { edges { node { id } } } }', { first: 'many' }, sam));
    expect(status).toBe(400);
    expect(json.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('field security still hides what it hides, and unions resolve', async () => {
    const query = '{ accounts(first: 50) { edges { node { id name owner { id } } } } }';
    const { json } = allSame(await repeated(query, {}, nora));
    const ids = (json.data!.accounts as { edges: { node: { id: string } }[] }).edges.map((e) => e.node.id);
    expect(ids).not.toContain(rec.account);
    allSame(await repeated('query($id: ID!) { node(id: $id) { __typename id ... on Account { name } } }', { id: rec.account }, admin));
  });
});

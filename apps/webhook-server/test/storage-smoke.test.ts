import { createAccount, createApiKey, authenticateApiKey } from '../src/storage/accounts.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.js';

describeEachDialect('api key storage', (dialect) => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
  });

  afterEach(async () => {
    await database.dispose();
  });

  test('created key authenticates its account', async () => {
    const account = await createAccount(database.db, 'Tenant A');
    const { key } = await createApiKey(database.db, { accountId: account.id, name: 'ci' });

    const result = await authenticateApiKey(database.db, key);

    expect(result?.account.id).toBe(account.id);
    expect(await authenticateApiKey(database.db, `${key}x`)).toBeUndefined();
  });
});

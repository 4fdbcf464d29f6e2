// Synthetic org for the engine's performance test and benchmark: N opportunities over a few
// accounts and users, 0–3 contact roles each, many rows sharing a SystemModstamp (as in real orgs).
import { MemorySource } from './memory-source.js';

export function syntheticOrg(opportunities: number): MemorySource {
  const ds = new MemorySource();
  const base = Date.UTC(2024, 0, 1);
  const users = Array.from({ length: 10 }, (_, i) =>
    ds.add('User', { Name: `User ${i}`, Email: `user${i}@example.com`, IsActive: true }),
  );
  const accounts = Array.from({ length: 200 }, (_, i) =>
    ds.add('Account', { Name: `Account ${i}`, OwnerId: users[i % users.length]!.Id as string }),
  );
  const contacts = Array.from({ length: 500 }, (_, i) =>
    ds.add('Contact', {
      LastName: `Contact ${i}`,
      Email: `c${i}@example.com`,
      AccountId: accounts[i % accounts.length]!.Id as string,
    }),
  );
  const stages = ['Prospecting', 'Qualification', 'Closed Won', 'Closed Lost'];
  for (let i = 0; i < opportunities; i++) {
    // Pseudo-random but deterministic; modstamps collide in groups (second resolution, bursts).
    const h = (i * 2654435761) >>> 0;
    const o = ds.add('Opportunity', {
      Name: `Opportunity ${i}`,
      StageName: stages[h % 4]!,
      Amount: h % 7 === 0 ? null : (h % 100000) / 100,
      CloseDate: new Date(base + (h % 365) * 86_400_000).toISOString().slice(0, 10),
      IsWon: h % 4 === 2,
      AccountId: accounts[h % accounts.length]!.Id as string,
      OwnerId: users[h % users.length]!.Id as string,
      CreatedDate: base + i * 1000,
      SystemModstamp: base + (h % 50_000) * 1000,
    });
    for (let r = 0; r < h % 4; r++)
      ds.add('OpportunityContactRole', {
        OpportunityId: o.Id as string,
        ContactId: contacts[(h + r) % contacts.length]!.Id as string,
        Role: r === 0 ? 'Decision Maker' : 'Influencer',
        IsPrimary: r === 0,
      });
  }
  return ds;
}

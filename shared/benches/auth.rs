//! Micro-benchmarks of credential verification, the work every request does
//! before touching the store: `cargo bench -p controlplane --bench auth`.

use std::collections::{BTreeSet, HashMap};
use std::hint::black_box;

use controlplane::base::ids::{KeyId, ProjectId};
use controlplane::base::tenant::OrgId;
use controlplane::domain::apikey::{ApiKey, KeyLookup, KeyType, NewToken, Scope, StoredKey, TokenHash, hash_token};
use controlplane::edge::auth::jwt::JwtKeys;
use criterion::{Criterion, criterion_group, criterion_main};

fn jwt(c: &mut Criterion) {
    let keys = JwtKeys::hs256(&[7u8; 32]).unwrap();
    let token = keys.mint("alice", Some("alice@example.com"), None, 3600).unwrap();
    c.bench_function("jwt_hs256_verify", |b| b.iter(|| keys.verify(black_box(&token)).unwrap()));
}

/// The in-process part of an API key request on a warm cache: hash the
/// token, find its (org, key) in the lookup cache, and check it against the
/// key item (constant-time hash comparison, state and expiry).
fn api_key(c: &mut Criterion) {
    let token = NewToken::generate(KeyType::Secret);
    let (org, id) = (OrgId::generate(), KeyId::generate());
    let now = chrono::Utc::now();
    let stored = StoredKey {
        key: ApiKey {
            id: id.clone(),
            org_id: org.clone(),
            project_id: ProjectId::generate(),
            name: "bench".to_owned().try_into().unwrap(),
            key_type: KeyType::Secret,
            scopes: BTreeSet::from([Scope::parse("projects:read").unwrap()]),
            resources: BTreeSet::new(),
            prefix: "sk_live_".into(),
            last4: token.last4(),
            enabled: true,
            expires_at: None,
            revoked_at: None,
            previous_token_valid_until: None,
            created_by: "bench".into(),
            version: 1,
            created_at: now,
            updated_at: now,
        },
        hashes: vec![TokenHash { hash: token.hash.clone(), valid_until: None }],
    };
    let mut cache: HashMap<String, KeyLookup> = (0..10_000)
        .map(|_| {
            (
                hash_token(&NewToken::generate(KeyType::Secret).token),
                KeyLookup { org_id: org.clone(), key_id: id.clone(), created_by: None },
            )
        })
        .collect();
    cache.insert(token.hash.clone(), KeyLookup { org_id: org, key_id: id, created_by: None });
    c.bench_function("api_key_verify_warm_cache", |b| {
        b.iter(|| {
            let hash = hash_token(black_box(&token.token));
            let found = cache.get(&hash).unwrap();
            black_box(found);
            stored.admits(&hash, now).unwrap();
        })
    });
}

criterion_group!(benches, jwt, api_key);
criterion_main!(benches);

//! The local adapter: values encrypted with AES-256-GCM (aws-lc-rs) in a
//! table of the SQLite file. Each write draws a fresh 96-bit nonce; the
//! secret's name is the additional authenticated data, so a ciphertext
//! moved to another name does not decrypt. The 32-byte key comes from
//! `CONTROLPLANE_SECRETS_KEY` (64 hex characters) or a file beside the
//! database (`PATH.key`, created once with mode 0600).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use rusqlite::{Connection, OptionalExtension};

use super::{SecretName, SecretValue, Secrets, SecretsError};
use crate::base::files::{random_hex_key, write_private};
use crate::ports::store::sqlite::open_connection;

pub const KEY_ENV: &str = "CONTROLPLANE_SECRETS_KEY";

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS secrets (
    name TEXT PRIMARY KEY,
    nonce BLOB NOT NULL,
    ciphertext BLOB NOT NULL
);";

pub struct LocalSecrets {
    conn: Arc<Mutex<Connection>>,
    key: Arc<LessSafeKey>,
}

fn unavailable(e: impl std::fmt::Display) -> SecretsError {
    SecretsError::Unavailable(e.to_string())
}

fn key_file(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".key");
    PathBuf::from(name)
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    let hex = hex.trim();
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect()
}

/// The key: from the environment, else the key file (created when missing).
fn load_key(path: &Path) -> Result<[u8; 32], SecretsError> {
    let hex = match std::env::var(KEY_ENV) {
        Ok(hex) => hex,
        Err(_) => {
            let file = key_file(path);
            if !file.exists() {
                write_private(&file, &random_hex_key()).map_err(|e| unavailable(format!("{}: {e}", file.display())))?;
            }
            std::fs::read_to_string(&file).map_err(|e| unavailable(format!("{}: {e}", file.display())))?
        }
    };
    decode_hex(&hex)
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .ok_or_else(|| SecretsError::Invalid(format!("the secrets key must be 64 hex characters ({KEY_ENV})")))
}

impl LocalSecrets {
    pub fn open(path: &Path) -> Result<Self, SecretsError> {
        let key = load_key(path)?;
        let key = UnboundKey::new(&AES_256_GCM, &key).map_err(|_| SecretsError::Invalid("bad key".into()))?;
        let conn = open_connection(path, SCHEMA).map_err(SecretsError::Unavailable)?;
        Ok(Self { conn: Arc::new(Mutex::new(conn)), key: Arc::new(LessSafeKey::new(key)) })
    }

    async fn with_conn<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection, &LessSafeKey) -> Result<T, SecretsError> + Send + 'static,
    ) -> Result<T, SecretsError> {
        let (conn, key) = (Arc::clone(&self.conn), Arc::clone(&self.key));
        tokio::task::spawn_blocking(move || {
            let conn = conn.lock().map_err(|_| unavailable("the secrets connection is poisoned"))?;
            f(&conn, &key)
        })
        .await
        .map_err(unavailable)?
    }
}

#[async_trait]
impl Secrets for LocalSecrets {
    async fn put(&self, name: &SecretName, value: &SecretValue) -> Result<String, SecretsError> {
        let (name, mut sealed) = (name.as_str().to_owned(), value.expose().as_bytes().to_vec());
        self.with_conn(move |conn, key| {
            let nonce: [u8; NONCE_LEN] = rand::random();
            key.seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(name.as_bytes()), &mut sealed)
                .map_err(|_| unavailable("encryption failed"))?;
            conn.execute(
                "INSERT INTO secrets (name, nonce, ciphertext) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (name) DO UPDATE SET nonce = excluded.nonce, ciphertext = excluded.ciphertext",
                rusqlite::params![name, nonce.to_vec(), sealed],
            )
            .map_err(unavailable)?;
            Ok(name)
        })
        .await
    }

    async fn get(&self, name: &SecretName) -> Result<Option<SecretValue>, SecretsError> {
        let name = name.as_str().to_owned();
        self.with_conn(move |conn, key| {
            let row: Option<(Vec<u8>, Vec<u8>)> = conn
                .query_row("SELECT nonce, ciphertext FROM secrets WHERE name = ?1", [&name], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()
                .map_err(unavailable)?;
            let Some((nonce, mut sealed)) = row else { return Ok(None) };
            let nonce =
                Nonce::try_assume_unique_for_key(&nonce).map_err(|_| unavailable("a stored nonce is damaged"))?;
            let plain = key
                .open_in_place(nonce, Aad::from(name.as_bytes()), &mut sealed)
                .map_err(|_| unavailable("a stored secret does not decrypt with this key"))?;
            let text = String::from_utf8(plain.to_vec()).map_err(|_| unavailable("a stored secret is not UTF-8"))?;
            Ok(Some(SecretValue(text)))
        })
        .await
    }

    async fn delete(&self, name: &SecretName) -> Result<(), SecretsError> {
        let name = name.as_str().to_owned();
        self.with_conn(move |conn, _| {
            conn.execute("DELETE FROM secrets WHERE name = ?1", [&name]).map_err(unavailable)?;
            Ok(())
        })
        .await
    }

    async fn ping(&self) -> Result<(), SecretsError> {
        self.with_conn(|conn, _| conn.query_row("SELECT 1", [], |_| Ok(())).map_err(unavailable)).await
    }
}

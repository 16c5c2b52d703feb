//! The local adapter: one file per blob under a directory, written to a
//! temporary file and renamed into place, so a reader never sees half a blob.

use std::path::{Path, PathBuf};

use async_trait::async_trait;

use super::{BlobError, BlobKey, Blobs, Stored};

pub struct LocalBlobs {
    dir: PathBuf,
}

fn unavailable(e: impl std::fmt::Display) -> BlobError {
    BlobError::Unavailable(e.to_string())
}

impl LocalBlobs {
    pub fn new(dir: &Path) -> Self {
        Self { dir: dir.to_owned() }
    }

    fn path(&self, key: &BlobKey) -> PathBuf {
        self.dir.join(key.as_str())
    }
}

#[async_trait]
impl Blobs for LocalBlobs {
    async fn put(&self, key: &BlobKey, bytes: Vec<u8>, _content_type: &str) -> Result<Stored, BlobError> {
        let path = self.path(key);
        let stored = Stored::of(format!("file://{}", path.display()), &bytes);
        tokio::task::spawn_blocking(move || {
            let dir = path.parent().ok_or_else(|| unavailable("a blob path has no directory"))?;
            std::fs::create_dir_all(dir).map_err(unavailable)?;
            let partial = path.with_extension(format!("partial-{}", ulid::Ulid::new()));
            std::fs::write(&partial, &bytes).map_err(unavailable)?;
            std::fs::rename(&partial, &path).map_err(unavailable)
        })
        .await
        .map_err(unavailable)??;
        Ok(stored)
    }

    async fn get(&self, key: &BlobKey) -> Result<Option<Vec<u8>>, BlobError> {
        match tokio::fs::read(self.path(key)).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    async fn ping(&self) -> Result<(), BlobError> {
        tokio::fs::create_dir_all(&self.dir).await.map_err(unavailable)
    }
}

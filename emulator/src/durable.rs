//! Acknowledged writes survive a crash. With `--state FILE`, a request that changed the state is answered
//! only once the state that holds its change is on disk (written to a temporary file, fsynced, renamed
//! over FILE, the directory fsynced), so `kill -9` loses nothing that was answered 200.
//!
//! Writes are group-committed: every change takes a sequence number once it is in the state; a writer
//! serializes the state once for every change counted so far, and the requests waiting behind it find
//! their number already written and answer without writing again. The file is always a whole, valid
//! snapshot in the versioned state format ([`crate::model::STATE_VERSION`]), so there is nothing to
//! replay at start: loading it is the recovery. The cost grows with the state's size, not with the
//! number of writers (figures in the README).

use crate::model::State;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// The group commit of one state file.
#[derive(Debug)]
pub struct Durable {
    path: Option<PathBuf>,
    /// Changes counted so far (each is in the state when counted).
    changes: AtomicU64,
    /// The last change known to be on disk; held while writing, so writers queue behind it.
    written: tokio::sync::Mutex<u64>,
}

impl Durable {
    pub fn new(path: Option<PathBuf>) -> Self {
        Durable {
            path,
            changes: AtomicU64::new(0),
            written: tokio::sync::Mutex::new(0),
        }
    }

    /// Returns once every change made to `state` before the call is on disk (at once without a file).
    pub async fn commit(&self, state: &Mutex<State>) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let mine = self.changes.fetch_add(1, Ordering::SeqCst) + 1;
        let mut written = self.written.lock().await;
        if *written >= mine {
            return Ok(());
        }
        // Every change counted up to here is already in the state, so this snapshot covers them all.
        let upto = self.changes.load(Ordering::SeqCst);
        let bytes = {
            let s = state.lock().unwrap_or_else(|e| e.into_inner());
            crate::model::encode_state(&s).map_err(std::io::Error::other)?
        };
        let path = path.clone();
        tokio::task::spawn_blocking(move || write_atomically(&path, &bytes))
            .await
            .map_err(std::io::Error::other)??;
        *written = upto;
        Ok(())
    }
}

/// Replaces `path` with `bytes` so that a crash leaves either the old file or the new one, never a part.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)?;
    // The rename is durable once the directory entry is.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

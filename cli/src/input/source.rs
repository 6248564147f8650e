//! The raw bytes of the input, read twice: once to check it and once to send it. A file is
//! opened again; stdin, which cannot be read twice, is first copied to a spool file that
//! nobody else can see and that is gone when the run ends, however it ends.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use sha1::{Digest, Sha1};

/// Where each pass reads the input from.
pub enum Origin {
    File(PathBuf),
    Spool(Spool),
}

impl Origin {
    /// A regular file is read where it is; stdin and other files that cannot be read
    /// twice (pipes, devices) are spooled first.
    pub fn of(source: &super::Source) -> std::io::Result<Self> {
        match source {
            super::Source::File(path) => match std::fs::metadata(path) {
                Ok(meta) if !meta.is_file() => Ok(Self::Spool(Spool::of(&mut File::open(path)?)?)),
                _ => Ok(Self::File(path.clone())),
            },
            super::Source::Stdin => Ok(Self::Spool(Spool::of_stdin()?)),
        }
    }

    /// The input from its start.
    pub fn open(&self) -> std::io::Result<File> {
        match self {
            Self::File(path) => File::open(path),
            Self::Spool(spool) => spool.reader(),
        }
    }
}

/// A copy of stdin in the temporary folder. On Unix its name is removed as soon as it is
/// created, so not even a killed run leaves it behind; elsewhere it is removed when this
/// is dropped.
pub struct Spool {
    file: File,
    path: Option<PathBuf>,
}

impl Spool {
    /// Copies all of stdin to a new spool file.
    pub fn of_stdin() -> std::io::Result<Self> {
        Self::of(&mut std::io::stdin().lock())
    }

    /// Copies all of `input` (a pipe, such as `<(zcat leads.csv.gz)`) to a new spool file.
    pub fn of(input: &mut impl Read) -> std::io::Result<Self> {
        let mut spool = Self::create()?;
        std::io::copy(input, &mut spool.file)?;
        Ok(spool)
    }

    fn create() -> std::io::Result<Self> {
        static COUNT: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let name =
            format!("mktows-stdin-{}-{nanos}-{}.spool", std::process::id(), COUNT.fetch_add(1, Ordering::SeqCst));
        let path = std::env::temp_dir().join(name);
        let file = std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(&path)?;
        let path = match std::fs::remove_file(&path) {
            Ok(()) => None,
            Err(_) => Some(path),
        };
        Ok(Self { file, path })
    }

    /// The spooled bytes from the start (the handles share one position: one pass at a time).
    fn reader(&self) -> std::io::Result<File> {
        let mut file = self.file.try_clone()?;
        file.seek(SeekFrom::Start(0))?;
        Ok(file)
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        if let Some(path) = &self.path {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Reads through, keeping the size and SHA-1 of what was read: the input's fingerprint.
pub struct Hashing<R> {
    inner: R,
    sha1: Sha1,
    size: u64,
}

impl<R> Hashing<R> {
    pub fn new(inner: R) -> Self {
        Self { inner, sha1: Sha1::new(), size: 0 }
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// The SHA-1 of what was read so far, in hex.
    pub fn sha1(&self) -> String {
        self.sha1.clone().finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.sha1.update(&buffer[..read]);
        self.size += read as u64;
        Ok(read)
    }
}

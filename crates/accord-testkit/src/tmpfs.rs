//! A small tmpfs mounted for one test (a disk that can be filled, and grown
//! again), unmounted when dropped. Needs root (tests and CI run as root); a
//! refused mount fails the test with the reason, it never skips.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Tmpfs {
    dir: tempfile::TempDir,
}

fn mount(args: &[&str], dir: &Path) -> Result<(), String> {
    let out = Command::new("mount")
        .args(args)
        .arg(dir)
        .output()
        .map_err(|e| format!("cannot run mount: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "mount {} {} failed ({}): {}",
            args.join(" "),
            dir.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

impl Tmpfs {
    /// Mounts a tmpfs of `megabytes` on a fresh temporary folder.
    ///
    /// # Panics
    /// When the mount is refused (not root, no tmpfs): this test needs it.
    pub fn mount(megabytes: u64) -> Tmpfs {
        let dir = tempfile::tempdir().expect("create a mount point");
        let size = format!("size={megabytes}m");
        if let Err(e) = mount(&["-t", "tmpfs", "-o", &size, "tmpfs"], dir.path()) {
            panic!("this test needs to mount a small tmpfs (run it as root): {e}");
        }
        Tmpfs { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn path_buf(&self) -> PathBuf {
        self.dir.path().to_owned()
    }

    /// Bytes free on it now.
    pub fn free_bytes(&self) -> u64 {
        let s = rustix::fs::statvfs(self.dir.path()).expect("statvfs of the test tmpfs");
        s.f_bavail.saturating_mul(s.f_frsize)
    }

    /// Takes all but `leave` of the free space with a file of zeros (written
    /// out: a sparse file would take nothing on tmpfs).
    pub fn fill_leaving(&self, leave: u64) {
        use std::io::Write;
        let take = self.free_bytes().saturating_sub(leave);
        let mut f = std::fs::File::create(self.dir.path().join("ballast")).expect("create ballast");
        let chunk = vec![0u8; 64 << 10];
        let mut written = 0;
        while written + chunk.len() as u64 <= take {
            f.write_all(&chunk).expect("write ballast");
            written += chunk.len() as u64;
        }
        f.sync_all().expect("sync ballast");
    }

    /// Grows (or shrinks) the mounted tmpfs in place; its files stay.
    ///
    /// # Panics
    /// When the remount is refused.
    pub fn resize(&self, megabytes: u64) {
        let options = format!("remount,size={megabytes}m");
        if let Err(e) = mount(&["-o", &options], self.dir.path()) {
            panic!("cannot resize the test tmpfs: {e}");
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazy: a file still open (a process being torn down) must not keep
        // the mount behind; the folder is removed by `TempDir` afterwards.
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

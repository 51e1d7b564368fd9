//! A `redis-server` started on a loopback port by the tests and benchmarks
//! of the limits shared between processes.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A `redis-server` on a free loopback port, stopped when dropped.
#[derive(Debug)]
pub struct Redis {
    child: Option<Child>,
    port: u16,
    password: Option<&'static str>,
}

impl Redis {
    /// A fresh server, or `None` when `redis-server` is not installed and
    /// not required (`B24_REQUIRE_REDIS` unset); required and missing, a panic.
    pub fn start() -> Option<Self> {
        Self::start_with(None)
    }

    /// A fresh server that requires `password`, or `None` as [`start`](Self::start).
    pub fn start_with(password: Option<&'static str>) -> Option<Self> {
        let installed = Command::new("redis-server")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_ok();
        if !installed {
            assert!(
                std::env::var_os("B24_REQUIRE_REDIS").is_none(),
                "B24_REQUIRE_REDIS is set but redis-server is not installed"
            );
            eprintln!("skipped: redis-server is not installed");
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let mut redis = Self {
            child: None,
            port,
            password,
        };
        redis.restart();
        Some(redis)
    }

    /// Starts the server (again) on its port and waits until it answers.
    pub fn restart(&mut self) {
        let mut command = Command::new("redis-server");
        command.args([
            "--bind",
            "127.0.0.1",
            "--port",
            &self.port.to_string(),
            "--save",
            "",
            "--appendonly",
            "no",
        ]);
        if let Some(password) = self.password {
            command.args(["--requirepass", password]);
        }
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        self.child = Some(child);
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("redis-server did not listen on port {}", self.port);
    }

    /// Stops the server; [`restart`](Self::restart) starts it on the same port.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Waits until `redis-cli` answers `expected` to `command`.
    pub fn wait_for(&self, command: &[&str], expected: &str) {
        for _ in 0..200 {
            let output = Command::new("redis-cli")
                .args(["-p", &self.port.to_string()])
                .args(command)
                .output()
                .expect("redis-cli runs");
            if String::from_utf8_lossy(&output.stdout).trim() == expected {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("Redis never answered {expected:?} to {command:?}");
    }

    /// The URL clients connect to, with the password if there is one.
    pub fn url(&self) -> String {
        match self.password {
            Some(password) => format!("redis://:{password}@127.0.0.1:{}/", self.port),
            None => format!("redis://127.0.0.1:{}/", self.port),
        }
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}

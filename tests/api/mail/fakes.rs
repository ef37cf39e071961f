//! Far sides that are not well-behaved SMTP servers: one that accepts and never speaks (a
//! tarpit), one that greets with another service's banner; and the app without the loopback
//! allowlist the other mail tests use.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::mail_helpers::*;

/// Accepts connections on 127.0.0.1 and holds them open without a byte, as a host that
/// firewalls by silence or an overloaded server does.
pub struct Tarpit {
    pub port: u16,
    accepted: Arc<AtomicUsize>,
    /// Kept so the connections stay open until the test ends.
    _held: Arc<Mutex<Vec<TcpStream>>>,
}

impl Tarpit {
    pub fn start() -> Tarpit {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let held = Arc::new(Mutex::new(Vec::new()));
        let (count, keep) = (accepted.clone(), held.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                count.fetch_add(1, Ordering::SeqCst);
                keep.lock().unwrap().push(stream);
            }
        });
        Tarpit {
            port,
            accepted,
            _held: held,
        }
    }

    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

/// Greets every connection with `banner` (another service's, as a port scan would find) and
/// answers anything sent with it again.
pub fn banner_server(banner: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let _ = stream.write_all(banner.as_bytes());
                let mut buffer = [0u8; 512];
                while let Ok(n) = std::io::Read::read(&mut stream, &mut buffer) {
                    if n == 0 || stream.write_all(banner.as_bytes()).is_err() {
                        break;
                    }
                }
            });
        }
    });
    port
}

/// Answers the greeting, keeps the first command it is sent (the EHLO) and hangs up.
pub fn first_command_server() -> (u16, Arc<Mutex<Option<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let first = Arc::new(Mutex::new(None));
    let keep = first.clone();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let _ = stream.write_all(b"220 smtp.test.local ESMTP\r\n");
            let mut line = String::new();
            let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
            let _ = std::io::BufRead::read_line(&mut reader, &mut line);
            *keep.lock().unwrap() = Some(line.trim_end().to_owned());
            let _ = stream.write_all(b"421 closing\r\n");
        }
    });
    (port, first)
}

/// The mail app as deployed by default: `mail.allowed_hosts` empty.
pub async fn spawn_mail_app_without_allowlist() -> MailApp {
    spawn_mail_app_configured(|settings| settings.mail.allowed_hosts = String::new()).await
}

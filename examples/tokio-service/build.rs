// Fails `cargo build` on a broken revision chain, and reruns when a revision file
// is added, edited or removed.
fn main() {
    migrate_build::Migrations::new("migrations").run();
}

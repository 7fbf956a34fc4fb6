//! The bsd-signal section of the tour (filled by the bsd-signal work).

pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    println!("   (not yet written)");
    Ok(())
}

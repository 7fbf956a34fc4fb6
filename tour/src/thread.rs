//! The bsd-thread section of the tour (filled by the bsd-thread work).

pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    println!("   (not yet written)");
    Ok(())
}

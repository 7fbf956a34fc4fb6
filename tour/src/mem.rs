//! The bsd-mem section of the tour (filled by the bsd-mem work).

pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    println!("   (not yet written)");
    Ok(())
}

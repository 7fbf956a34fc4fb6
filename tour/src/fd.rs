//! The bsd-fd section of the tour (filled by the bsd-fd work).

pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    println!("   (not yet written)");
    Ok(())
}

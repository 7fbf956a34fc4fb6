//! The bsd-event section of the tour (filled by the bsd-event work).

pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    println!("   (not yet written)");
    Ok(())
}

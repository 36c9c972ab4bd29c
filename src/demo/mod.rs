//! `veilgate demo`: a bundled helpdesk full of fake customer data, and
//! veilgate in front of it, so that redaction can be seen in one command.

pub mod helpdesk;

/// What `veilgate demo` prints once both listeners are up.
pub fn banner(helpdesk_url: &str, veilgate_url: &str, seed: &helpdesk::Seed) -> String {
    let ticket = seed.tickets.first().map_or(0, |t| t.id);
    let attachment = seed
        .tickets
        .iter()
        .flat_map(|t| &t.comments)
        .flat_map(|c| &c.attachments)
        .next()
        .map(|a| format!("/attachments/{}/{}", a.id, a.file_name))
        .unwrap_or_default();
    format!(
        "veilgate demo: a helpdesk with {tickets} tickets of fake customer data\n\
         \x20 helpdesk, unredacted:  {helpdesk_url}/\n\
         \x20 through veilgate:      {veilgate_url}/\n\
         Open both in a browser and compare, or try:\n\
         \x20 curl -s {veilgate_url}/api/v2/tickets/{ticket}/comments.json\n\
         \x20 curl -s {veilgate_url}{attachment}\n\
         \x20 curl -s -D - -o /dev/null {veilgate_url}/api/v2/users.json   (the veilgate-findings header counts what was redacted)\n\
         Ctrl-C stops both.",
        tickets = seed.tickets.len(),
    )
}

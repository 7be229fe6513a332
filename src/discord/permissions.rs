//! Discord permissions: who may host or configure, and whether Clio itself may post in a channel.
//!
//! Every interaction carries the member's permissions and Clio's own in that channel
//! (`app_permissions`), so both are checked before anything starts, never after it went silent.

use serenity::all::Permissions;

use crate::i18n::{self, Locale};

/// Whether a member may host a quiz: Manage Server (or Administrator), or the server's
/// quizmaster role. Everyone else plays.
pub fn can_host(permissions: u64, roles: &[u64], quizmaster_role: Option<u64>) -> bool {
    can_manage(Some(permissions)) || quizmaster_role.is_some_and(|r| roles.contains(&r))
}

/// Manage Server, or Administrator (which implies every permission).
pub fn can_manage(permissions: Option<u64>) -> bool {
    permissions.is_some_and(|p| {
        let p = Permissions::from_bits_truncate(p);
        p.contains(Permissions::MANAGE_GUILD) || p.contains(Permissions::ADMINISTRATOR)
    })
}

/// What Clio needs in a channel where it posts on its own (a quiz, the daily post).
pub const TO_POST: [Permissions; 3] = [
    Permissions::VIEW_CHANNEL,
    Permissions::SEND_MESSAGES,
    Permissions::EMBED_LINKS,
];

/// The permissions of [`TO_POST`] that `app` lacks; none when Administrator, or when Discord did
/// not say (`None`: a DM, or an old payload), in which case posting is tried and its failure logged.
pub fn missing_to_post(app: Option<u64>) -> Vec<Permissions> {
    let Some(app) = app.map(Permissions::from_bits_truncate) else {
        return Vec::new();
    };
    if app.contains(Permissions::ADMINISTRATOR) {
        return Vec::new();
    }
    TO_POST.into_iter().filter(|p| !app.contains(*p)).collect()
}

/// The calm, ephemeral line that names what is missing and how to grant it.
pub fn missing_message(missing: &[Permissions], locale: Locale) -> String {
    let names: Vec<&str> = missing
        .iter()
        .map(|p| i18n::permission_name(locale, p.bits()))
        .collect();
    i18n::missing_permissions(locale, &names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administrator_lacks_nothing_and_an_unknown_set_is_not_refused() {
        assert!(missing_to_post(Some(Permissions::ADMINISTRATOR.bits())).is_empty());
        assert!(missing_to_post(None).is_empty());
        let all = TO_POST.iter().fold(Permissions::empty(), |a, p| a | *p);
        assert!(missing_to_post(Some(all.bits())).is_empty());
        assert_eq!(
            missing_to_post(Some((all - Permissions::SEND_MESSAGES).bits())),
            vec![Permissions::SEND_MESSAGES]
        );
    }

    #[test]
    fn hosts_are_managers_or_the_quizmaster_role() {
        let manage = Permissions::MANAGE_GUILD.bits();
        assert!(can_host(manage, &[], None));
        assert!(can_host(Permissions::ADMINISTRATOR.bits(), &[], None));
        assert!(!can_host(0, &[7], None));
        assert!(can_host(0, &[7], Some(7)));
    }
}

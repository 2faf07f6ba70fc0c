package org.mailhive.api.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The listing both stores give: levels that are no folder are there, marked, and every entry knows its children. */
class FolderInfoTest {

    @Test
    void levelsAboveFoldersAreListedAsNotSelectable() {
        assertEquals(List.of(
                new FolderInfo("INBOX", true, true, false),
                new FolderInfo("Archive", false, false, true),
                new FolderInfo("Archive/2024", true, true, true),
                new FolderInfo("Archive/2024/Q1", false, true, false),
                new FolderInfo("Lists", false, false, true),
                new FolderInfo("Lists/a", false, false, true),
                new FolderInfo("Lists/a/b", false, true, false),
                new FolderInfo("Sent", false, true, false)),
                FolderInfo.listing(List.of("Sent", "Lists/a/b", "Archive/2024/Q1", "Archive/2024", "INBOX"),
                        Set.of("INBOX", "Archive/2024")));
    }

    @Test
    void aNameThatMerelyStartsLikeAnotherIsNoChild() {
        assertEquals(List.of(new FolderInfo("INBOX", false), new FolderInfo("Work", false, true, false),
                new FolderInfo("Work-old", false, true, false)), FolderInfo.listing(List.of("Work-old", "Work"), Set.of()));
    }

    @Test
    void inboxHasChildrenWhenFoldersLieBelowIt() {
        assertEquals(List.of(new FolderInfo("INBOX", false, true, true), new FolderInfo("INBOX/Spam", false)),
                FolderInfo.listing(List.of("INBOX/Spam"), Set.of()));
    }
}

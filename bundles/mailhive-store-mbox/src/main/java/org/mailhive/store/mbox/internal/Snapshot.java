package org.mailhive.store.mbox.internal;

import java.util.ArrayList;
import java.util.List;
import org.mailhive.api.store.MessageInfo;

/** The messages of an mbox with their UIDs, as of one scan; immutable. */
record Snapshot(long uidValidity, long uidNext, List<Message> messages) {

    record Message(long uid, ParsedMessage parsed) {
    }

    Snapshot {
        messages = List.copyOf(messages);
    }

    /** The message with this UID, or null; UIDs grow with the position in the file. */
    Message find(long uid) {
        int lo = 0;
        int hi = messages.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long u = messages.get(mid).uid;
            if (u < uid) lo = mid + 1;
            else if (u > uid) hi = mid - 1;
            else return messages.get(mid);
        }
        return null;
    }

    List<MessageInfo> infos() {
        List<MessageInfo> list = new ArrayList<>(messages.size());
        for (Message m : messages) {
            list.add(new MessageInfo(m.uid, m.parsed.size(), m.parsed.flags(), m.parsed.internalDate()));
        }
        return list;
    }
}

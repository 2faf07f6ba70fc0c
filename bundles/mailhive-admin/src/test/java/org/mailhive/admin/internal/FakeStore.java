package org.mailhive.admin.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ConfigurationAdmin as a list of maps; records every update it accepts. */
public final class FakeStore implements ConfigStore {

    public final List<Item> items = new ArrayList<>();
    public final List<String> updated = new ArrayList<>();

    public final class Item implements Stored {
        final String pid;
        final String factoryPid;
        Map<String, Object> props;

        Item(String pid, String factoryPid, Map<String, Object> props) {
            this.pid = pid;
            this.factoryPid = factoryPid;
            this.props = new LinkedHashMap<>(props);
        }

        @Override
        public String pid() {
            return pid;
        }

        @Override
        public String factoryPid() {
            return factoryPid;
        }

        @Override
        public Map<String, Object> properties() {
            return props;
        }

        @Override
        public boolean updateIfDifferent(Map<String, Object> properties) {
            if (props.equals(properties)) return false;
            props = new LinkedHashMap<>(properties);
            updated.add(pid);
            return true;
        }
    }

    public Item add(String pid, String factoryPid, Map<String, Object> props) {
        Item i = new Item(pid, factoryPid, props);
        items.add(i);
        return i;
    }

    @Override
    public List<Stored> list() {
        return new ArrayList<>(items);
    }
}

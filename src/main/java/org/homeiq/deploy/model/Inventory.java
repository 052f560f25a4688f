package org.homeiq.deploy.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.homeiq.deploy.BadInputException;

/** The services of HomeIQ, by name, in the inventory's order. */
public final class Inventory {
    private final Map<String, Service> services;

    public Inventory(Collection<Service> services) {
        var map = new LinkedHashMap<String, Service>();
        for (Service s : services) {
            map.put(s.name(), s);
        }
        this.services = java.util.Collections.unmodifiableMap(map);
    }

    public Collection<Service> all() {
        return services.values();
    }

    public Optional<Service> find(String name) {
        return Optional.ofNullable(services.get(name));
    }

    /** The named service, or a bad-input error that lists what the inventory knows. */
    public Service get(String name) {
        Service s = services.get(name);
        if (s == null) {
            throw new BadInputException("unknown service '" + name + "' (the inventory has: "
                    + String.join(", ", services.keySet()) + ")");
        }
        return s;
    }

    /** Resolves each name, failing on the first unknown one before anything is done. */
    public List<Service> getAll(List<String> names) {
        var out = new ArrayList<Service>();
        for (String n : names) {
            out.add(get(n));
        }
        return out;
    }

    public boolean contains(String name) {
        return services.containsKey(name);
    }

    public int size() {
        return services.size();
    }
}

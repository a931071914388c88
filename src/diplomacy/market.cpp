#include "diplomacy/market.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "world/site_capacity.hpp"

namespace doseflow::diplomacy {

std::vector<Producer> find_producers(const World& world) {
    std::vector<Producer> producers;
    for (std::size_t i = 0; i < world.sites.size(); ++i) {
        const Site& site = world.sites[i];
        auto it = std::find_if(producers.begin(), producers.end(), [&](const Producer& p) {
            return p.supplier == site.country && p.product == site.product;
        });
        if (it == producers.end()) {
            producers.push_back(Producer{site.country, site.product, {}, false, {}});
            it = producers.end() - 1;
        }
        it->sites.push_back(SiteId(i));
        if (!site.licence) {
            it->exports_freely = true;
        } else if (site.licence->may_export) {
            for (CountryId to : site.licence->export_to)
                if (std::find(it->export_to.begin(), it->export_to.end(), to) == it->export_to.end())
                    it->export_to.push_back(to);
        }
    }
    std::sort(producers.begin(), producers.end(), [](const Producer& a, const Producer& b) {
        return a.supplier != b.supplier ? a.supplier < b.supplier : a.product < b.product;
    });
    return producers;
}

double estimated_producer_doses_per_day(const World& world, const Producer& producer, Date date) {
    const Product& product = world.product(producer.product);
    const int components = product.component_count();
    const int course_doses = product.doses_per_course();
    if (components == 0 || course_doses == 0) return 0.0;
    std::vector<double> made(static_cast<std::size_t>(components), 0.0);
    for (SiteId id : producer.sites) {
        const Site& site = world.site(id);
        const double capacity = site_doses_per_day(site, date, expected_realised_share(site));
        for (std::size_t k = 0; k < site.components.size() && k < site.component_yield.size(); ++k) {
            const int component = site.components[k];
            if (component >= 0 && component < components)
                made[static_cast<std::size_t>(component)] += capacity * site.component_yield[k];
        }
    }
    double doses = std::numeric_limits<double>::infinity();
    for (int c = 0; c < components; ++c) {
        const auto uses = std::count(product.course.begin(), product.course.end(), c);
        if (uses == 0) continue;
        const double course_share = static_cast<double>(uses) / course_doses;
        doses = std::min(doses, made[static_cast<std::size_t>(c)] / course_share);
    }
    return std::isfinite(doses) ? doses : 0.0;
}

bool may_sell_to(const World& world, const Producer& producer, CountryId buyer, Date date) {
    const bool access = producer.exports_freely ||
                        std::find(producer.export_to.begin(), producer.export_to.end(), buyer) != producer.export_to.end();
    if (!access) return false;
    for (const ExportControl& control : world.export_controls) {
        if (control.exporter != producer.supplier || date < control.start || date > control.end) continue;
        if (control.product && *control.product != producer.product) continue;
        if (control.cap_doses_per_day > 0.0) continue;  // a cap still lets new contracts be signed
        if (std::find(control.exempt.begin(), control.exempt.end(), buyer) == control.exempt.end()) return false;
    }
    return true;
}


}  // namespace doseflow::diplomacy

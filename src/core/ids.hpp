#pragma once
// Strong, dense indices for the entities of a built World. An id is a position in the World's vector of that
// entity; the text key (ISO 3166-1 alpha-3 code for countries, the scenario's id for the rest) lives on the entity.
#include <compare>
#include <cstdint>
#include <functional>
#include <limits>

namespace doseflow {

template <class Tag>
class Index {
public:
    using value_type = std::uint32_t;
    constexpr Index() = default;
    constexpr explicit Index(std::size_t value) : value_(static_cast<value_type>(value)) {}
    constexpr std::size_t value() const { return value_; }
    constexpr bool valid() const { return value_ != invalid_; }
    constexpr auto operator<=>(const Index&) const = default;

private:
    static constexpr value_type invalid_ = std::numeric_limits<value_type>::max();
    value_type value_ = invalid_;
};

using CountryId = Index<struct CountryTag>;
using ProductId = Index<struct ProductTag>;
using SiteId = Index<struct SiteTag>;
using ContractId = Index<struct ContractTag>;
using VariantId = Index<struct VariantTag>;

}  // namespace doseflow

template <class Tag>
struct std::hash<doseflow::Index<Tag>> {
    std::size_t operator()(doseflow::Index<Tag> id) const noexcept { return std::hash<std::size_t>{}(id.value()); }
};

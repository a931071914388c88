#include "diplomacy/alignment.hpp"

#include <algorithm>
#include <array>

namespace doseflow::diplomacy {

namespace {
// The EU's 27 members (2021) and the non-EU Western suppliers and donors of 2021.
constexpr std::array<std::string_view, 37> western_codes = {
    "USA", "GBR", "CAN", "JPN", "AUS", "NZL", "KOR", "CHE", "NOR", "ISL",                            //
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL",  //
    "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE"};
}  // namespace

const char* to_string(SupplierBloc bloc) {
    switch (bloc) {
        case SupplierBloc::none: return "none";
        case SupplierBloc::west: return "west";
        case SupplierBloc::russia: return "russia";
        case SupplierBloc::china: return "china";
    }
    return "?";
}

SupplierBloc supplier_bloc(std::string_view iso3) {
    if (iso3 == "RUS" || iso3 == "BLR") return SupplierBloc::russia;
    if (iso3 == "CHN") return SupplierBloc::china;
    if (std::find(western_codes.begin(), western_codes.end(), iso3) != western_codes.end()) return SupplierBloc::west;
    return SupplierBloc::none;
}

double bloc_alignment(const Country& buyer, SupplierBloc bloc) {
    switch (bloc) {
        case SupplierBloc::west: return buyer.alignment_west;
        case SupplierBloc::russia: return buyer.alignment_russia;
        case SupplierBloc::china: return buyer.alignment_china;
        case SupplierBloc::none: return 0.0;
    }
    return 0.0;
}

double alignment(const Country& buyer, const Country& supplier) {
    if (buyer.code == supplier.code) return 0.0;
    return bloc_alignment(buyer, supplier_bloc(supplier.code));
}

bool share_trade_bloc(const Country& a, const Country& b) {
    for (const auto& bloc : a.trade_blocs)
        if (std::find(b.trade_blocs.begin(), b.trade_blocs.end(), bloc) != b.trade_blocs.end()) return true;
    return false;
}

}  // namespace doseflow::diplomacy
